"""Community assets register and Assets of Community Value (ACV).

The register maps what groups can contribute in a place, in the four categories of the Community
Participation Strategy 2021 (003_c91605f45081f960.txt:603-611, section 4.21: Money, People, Insight,
Spaces); spaces can be used as meeting venues and carry a position for the maps.

The committee "determines applications for buildings / land to be listed as an Asset of Community
Value" (004_eefa4e81a284a492.txt:9, 004_eefa4e81a284a492.txt:127; 000_0692e8566ba44968.txt:967-970,
section 13.4.3). Nominations, validation, decisions, owner reviews, disposal notices and the statutory
dates (Localism Act 2011 Part 5 Chapter 3; SI 2012/2421) live here; the dates are pure functions in
services.py with the periods taken from configuration.
"""
