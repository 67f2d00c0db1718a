"""A union's own package, as the tests install it: one sheet kind, registered through an entry point."""
