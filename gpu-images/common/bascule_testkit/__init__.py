"""Test helpers shared by the images' tests (never copied into an image)."""
