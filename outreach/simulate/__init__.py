"""A whole campaign played through the real service under faults: `outreach simulate`."""
