"""Pure Structs and rules: no I/O."""
