"""Settings modes: base (embedded defaults, the demo), test, production."""
