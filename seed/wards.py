"""The wards of the London Borough of Barnet (ONS GSS codes and names).

Source: ONS Open Geography Portal ward lists, as in ../shared/geo/barnet_wards_2022.geojson and
barnet_wards_2002-2022.geojson (properties ward_code, ward_name). Boundaries are not kept here: import them
with `flask geo import-wards`. ONS spells E05013646 "Totteridge & Woodside".
"""

# The 24 wards in force since May 2022 (E05013628-E05013651).
WARDS_2022 = [
    ("E05013628", "Barnet Vale"),
    ("E05013629", "Brunswick Park"),
    ("E05013630", "Burnt Oak"),
    ("E05013631", "Childs Hill"),
    ("E05013632", "Colindale North"),
    ("E05013633", "Colindale South"),
    ("E05013634", "Cricklewood"),
    ("E05013635", "East Barnet"),
    ("E05013636", "East Finchley"),
    ("E05013637", "Edgware"),
    ("E05013638", "Edgwarebury"),
    ("E05013639", "Finchley Church End"),
    ("E05013640", "Friern Barnet"),
    ("E05013641", "Garden Suburb"),
    ("E05013642", "Golders Green"),
    ("E05013643", "Hendon"),
    ("E05013644", "High Barnet"),
    ("E05013645", "Mill Hill"),
    ("E05013646", "Totteridge & Woodside"),
    ("E05013647", "Underhill"),
    ("E05013648", "West Finchley"),
    ("E05013649", "West Hendon"),
    ("E05013650", "Whetstone"),
    ("E05013651", "Woodhouse"),
]

# The 21 wards in force from 2002 to May 2022, used by the 2019-2021 committee papers.
WARDS_2002 = [
    ("E05000043", "Brunswick Park"),
    ("E05000044", "Burnt Oak"),
    ("E05000045", "Childs Hill"),
    ("E05000046", "Colindale"),
    ("E05000047", "Coppetts"),
    ("E05000048", "East Barnet"),
    ("E05000049", "East Finchley"),
    ("E05000050", "Edgware"),
    ("E05000051", "Finchley Church End"),
    ("E05000052", "Garden Suburb"),
    ("E05000053", "Golders Green"),
    ("E05000054", "Hale"),
    ("E05000055", "Hendon"),
    ("E05000056", "High Barnet"),
    ("E05000057", "Mill Hill"),
    ("E05000058", "Oakleigh"),
    ("E05000059", "Totteridge"),
    ("E05000060", "Underhill"),
    ("E05000061", "West Finchley"),
    ("E05000062", "West Hendon"),
    ("E05000063", "Woodhouse"),
]
