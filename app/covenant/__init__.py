"""The Barnet Faith Covenant: the commitments, pledges by faith organisations and their renewal.

The council adopted the All Party Parliamentary Group's Covenant for Engagement between Faith Communities
and Local Authorities in 2015 (002_6240a75a79bed02c.txt:88, 002_6240a75a79bed02c.txt:93) and committed to
relaunch it (003_c91605f45081f960.txt:682); it was re-signed with the Barnet Multi Faith Forum at Hendon
Town Hall on 15 November 2021 (001_74f26b0b4220c599.txt:989).
"""
