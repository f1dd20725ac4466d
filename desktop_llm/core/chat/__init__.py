"""The chat: a turn from the user's message to the stored reply (service.py) and what it
reports to a front end (events.py). Like the tasks, it generates through the ModelHost."""
