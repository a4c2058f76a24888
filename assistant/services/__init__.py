"""The service functions, one module per concern; assistant/service.py joins them into the Assistant every front end calls."""
