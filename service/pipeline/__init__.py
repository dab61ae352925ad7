"""The answer pipeline: small stages, each a class with one method, composed in a list."""
