"""recover: give back the cells of tables whose cell boundaries were lost, and never guess."""

__version__ = "0.1.0"
