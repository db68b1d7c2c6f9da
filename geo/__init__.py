"""Distances, travel times and meeting groups: pure and deterministic; never imports outreach."""
