"""mathlib: the formulas of the book, one tested numpy function each.

Import what you need from the module that owns it, for example
``from mathlib.activations import sigmoid``. Each module covers one concept
and each docstring names the chapter that introduces its formula.
"""

__version__ = "0.1.0"
