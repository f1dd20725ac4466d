"""Errors that carry a message meant for the user, in plain words."""


class UserError(Exception):
    """Something the user can fix (unknown model, bad file, bad option).

    str(error) is shown as is: one sentence, no traceback. The CLI exits 1 with it.
    """


class BadModelFile(UserError):
    """A file that is not a usable GGUF model."""
