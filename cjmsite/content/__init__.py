"""Content in: walking content/, reading each file, validating it into the model."""
