"""klachtdesk: the complaint register of a Flemish local government's complaints coordinator."""

__version__ = "0.1.0"
