"""Readers that turn input files into Articles."""
