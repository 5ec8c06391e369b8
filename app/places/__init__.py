"""Wards, postcodes and geocoding."""
