"""The judged search set: searches a Barnet resident would type, each with the demo listings
(seed/demo_data.py) that must come in the first five results. Used by tests/test_search_quality.py and
bench/search_quality.py (precision at 5 and the misses).

Written from the listings' descriptions as a resident would see them, not from the ranking: a judgement
names a listing only when a person reading its description would say it answers the search.
"""

JUDGEMENTS = [
    # Food
    ("food bank", ["Barnet Food Hub", "Metropolitan Thames Valley"]),
    ("foodbank", ["Metropolitan Thames Valley", "Barnet Food Hub"]),
    ("food parcels", ["Barnet Food Hub"]),
    ("free food for my family", ["Barnet Food Hub"]),
    # Young people
    ("youth club", ["Unitas Youth Zone", "Young Barnet Foundation"]),
    ("things for teenagers to do", ["Unitas Youth Zone"]),
    ("somewhere for young people", ["Unitas Youth Zone", "Young Barnet Foundation"]),
    # Work and money
    ("jobs", ["Twining Enterprise", "Barnet and Southgate College"]),
    ("help finding work", ["Twining Enterprise"]),
    ("debt advice", ["Barnet Citizens Advice"]),
    ("citizens advice", ["Barnet Citizens Advice"]),
    ("starting my own business", ["Barnet Citizens Advice"]),
    ("sewing classes", ["Sowing Stitches"]),
    # Older people
    ("elderly", ["Age UK Barnet"]),
    ("older people", ["Age UK Barnet"]),
    ("lonely elderly", ["Community Network Group CIC"]),
    ("age uk", ["Age UK Barnet"]),
    ("exercise for older people", ["Stonegrove Community Trust"]),
    # Safety and abuse
    ("domestic violence", ["Solace Women's Aid"]),
    ("domestic abuse support", ["Solace Women's Aid"]),
    ("women's refuge", ["Solace Women's Aid"]),
    ("lgbt hate crime", ["Galop"]),
    ("police", ["Metropolitan Police"]),
    ("fire safety", ["London Fire Brigade"]),
    ("neighbourhood watch", ["Neighbourhood Watch"]),
    ("victim support", ["Victim Support"]),
    # Health
    ("mental health", ["Barnet Network for Mental Health"]),
    ("depression", ["Barnet Network for Mental Health"]),
    ("mental health jobs", ["Twining Enterprise"]),
    ("fitness", ["No.1 Fitness Academy"]),
    ("nhs", ["Barnet Clinical Commissioning Group"]),
    # Disability and carers
    ("learning disability", ["Barnet Mencap"]),
    ("autism", ["Barnet Mencap"]),
    ("carers", ["Westminster Roman Catholic Diocese Trustee"]),
    ("mencap", ["Barnet Mencap"]),
    # Housing
    ("housing", ["Barnet Homes", "Metropolitan Thames Valley"]),
    ("homeless", ["Homeless Action Barnet"]),
    # Refugees
    ("refugees", ["Barnet New Citizen Gateway"]),
    ("asylum seekers", ["Barnet New Citizen Gateway"]),
    # Volunteering, funding, community
    ("volunteer", ["Volunteering Barnet", "Jewish Volunteering Network"]),
    ("volunteering opportunities", ["Volunteering Barnet"]),
    ("grants", ["Barnet Giving"]),
    ("crowdfunding", ["Spacehive"]),
    ("interfaith", ["Barnet Multi Faith Forum"]),
    ("churches and mosques", ["Barnet Multi Faith Forum"]),
    ("veterans", ["Greater London Reserve Forces and Cadet Association"]),
    ("small business", ["Federation of Small Businesses"]),
    # Learning and leisure
    ("college courses", ["Barnet and Southgate College"]),
    ("university", ["Middlesex University"]),
    ("dance", ["Arts Depot"]),
    ("art classes", ["Community Focus Inclusive Arts"]),
    ("computer skills", ["Community Network Group CIC", "Community Focus Inclusive Arts"]),
    ("gardening", ["GROW"]),
    # Residents' own words, added with the vocabulary entries that answer them (rent, prayer, kids, dementia,
    # cost of living, benefits): each listing judged from its description and categories as above.
    ("help with rent", ["Metropolitan Thames Valley"]),
    ("somewhere to pray", ["Barnet Multi Faith Forum"]),
    ("things for kids", ["Young Barnet Foundation"]),
    ("toddler group", ["Young Barnet Foundation"]),
    ("dementia", ["Age UK Barnet"]),
    ("universal credit", ["Barnet Citizens Advice"]),
    ("cost of living", ["Barnet Food Hub"]),
    # Misspelt
    ("volunteerng", ["Volunteering Barnet"]),
    ("yuoth club", ["Unitas Youth Zone"]),
    ("mentl health", ["Barnet Network for Mental Health"]),
    ("refugess", ["Barnet New Citizen Gateway"]),
    ("domestic abuze", ["Solace Women's Aid"]),
    ("fod bank", ["Barnet Food Hub"]),
]


def precision_at_5(search):
    """(precision at 5, misses) for `search(words) -> [names in rank order]`. Precision at 5: of the listings
    judged to belong in the first five, the share that are there. Misses: (words, missing names, top five)."""
    wanted = found = 0
    misses = []
    for words, expected in JUDGEMENTS:
        top = search(words)[:5]
        missing = [name for name in expected if name not in top]
        wanted += len(expected)
        found += len(expected) - len(missing)
        if missing:
            misses.append((words, missing, top))
    return found / wanted, misses
