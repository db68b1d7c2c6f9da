"""Services: one module per capability, running domain rules inside a transaction."""
