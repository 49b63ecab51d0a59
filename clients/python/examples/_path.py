"""Lets an example run from anywhere: labbus.py is one folder up."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
