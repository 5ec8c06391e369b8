"""The directory's vocabularies (Open Referral taxonomies): code, name, description, and terms.

Categories cover the kinds of help the council papers name (../shared/seeds/001 delivery plan, 003 strategy:
food banks, hate crime reporting centres, domestic abuse services, volunteering, mental health, older people,
youth, environment/litter picking, digital inclusion, employment and skills...).
"""

TAXONOMIES = [
    ("category", "Category", "What the service does", [
        "Advice and information", "Armed forces", "Arts and culture", "Business", "Carers", "Community cohesion",
        "Community safety", "Community spaces", "Digital inclusion", "Domestic abuse", "Education",
        "Emergency planning", "Employment", "Environment", "Faith", "Food", "Funding", "Hate crime reporting",
        "Health", "Housing", "Infrastructure and support", "Interfaith", "Learning disability", "LGBT+",
        "Libraries", "Mental health", "Older people", "Refugees and migrants", "Skills", "Sport and physical activity",
        "Victim support", "Volunteering", "Women", "Youth",
    ]),
    ("beneficiary", "Who it is for", "The people the service is for", [
        "Everyone", "Children", "Young people", "Families", "Older people", "Disabled people", "Carers", "Women",
        "Men", "LGBT+ people", "Refugees and asylum seekers", "Veterans", "People on low incomes",
        "People with mental health needs", "Voluntary and community groups",
    ]),
    ("faith", "Faith", "The faith tradition of a faith organisation or service", [
        "Baha'i", "Buddhist", "Christian", "Hindu", "Jain", "Jewish", "Muslim", "Sikh", "Zoroastrian",
        "Interfaith", "Other faith",
    ]),
    ("language", "Language", "Languages the service is offered in", [
        "English", "Albanian", "Arabic", "Bengali", "British Sign Language", "Cantonese", "Farsi", "French",
        "Gujarati", "Hebrew", "Hindi", "Kurdish", "Mandarin", "Polish", "Portuguese", "Punjabi", "Romanian",
        "Russian", "Somali", "Spanish", "Tamil", "Tigrinya", "Turkish", "Urdu", "Yiddish",
    ]),
    ("accessibility", "Accessibility", "How accessible a location is", [
        "Step-free access", "Accessible toilet", "Hearing loop", "Lift to all floors", "Accessible parking",
        "Baby changing", "Quiet space", "Large print materials", "Assistance dogs welcome",
    ]),
]
