"""The browser app's pages and HTML; app.py wires them into one Gradio app."""
