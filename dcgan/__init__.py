"""Generating cartoon avatars with GANs."""
