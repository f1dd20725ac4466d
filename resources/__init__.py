"""Data files, installed as the package desktop_llm.resources (see setup.py).

Read them through desktop_llm.core.resources, never by a path relative to the code.
"""
