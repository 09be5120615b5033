"""How numbers are drawn for people (charts); no database, no business rules."""
