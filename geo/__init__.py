"""Distances, travel times and meeting groups: pure, synchronous, deterministic; never imports outreach."""
