"""The `trustnet` command: the Flask CLI of the app (run, shell, routes) plus operators'
commands. Each module below adds its commands to the group when imported."""

from __future__ import annotations

from trustnet import backup_commands, community_commands, place_commands, trust_commands
from trustnet.admin import commands as admin_commands
from trustnet.command_group import main

__all__ = ["main"]
COMMAND_MODULES = (admin_commands, backup_commands, community_commands, place_commands,
                   trust_commands)
