"""Figures: Display objects that draw with matplotlib (imported lazily) and keep their artists."""
