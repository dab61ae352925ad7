"""Gradio web UI of Kennisloket (mounted at /ui); calls the service layer in-process."""
