"""`make serve`: the server (`server`), the build worker it runs in a process of its own (`worker`),
and the status file both write (`status`).
"""
