"""Request-level protections (issue 13): who is calling from where, login and key limits."""
