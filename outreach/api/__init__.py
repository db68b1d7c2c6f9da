"""HTTP: Litestar controllers, guards, error mapping and static files."""
