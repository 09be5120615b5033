"""The sandbox's HTTP endpoints: OAuth token, Sale, Customer and Item (R-Series V3 subset)."""
