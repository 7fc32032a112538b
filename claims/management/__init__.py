"""Management commands: the workbench from the shell."""
