"""Policing Scorecard: police open data in, National Policing Priorities statements out."""

__version__ = "0.1.0"
