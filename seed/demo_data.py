"""Demo data for the Community Partnership Portal (London Borough of Barnet).

Pure data: no imports from the app. Every record is taken from the council
committee papers in ../shared/seeds/ and carries a comment and a ``source``
value of the form ``<seed file name>:<line number>`` (several references are
separated by ", ").

Seed files:
  000_0692e8566ba44968.txt  CLLC 20 Nov 2019: Armed Forces Covenant, Q1/Q2 2019/20
                            performance reports, CTN annual report (copy)
  001_74f26b0b4220c599.txt  CLLC 26 Jan 2022: VAWG report, Community Participation
                            Strategy delivery plan update
  002_6240a75a79bed02c.txt  Communities Together Network (CTN) annual report 2019
  003_c91605f45081f960.txt  CLLC 9 Jun 2021: Community Participation Strategy 2021,
                            Community Safety governance review
  004_eefa4e81a284a492.txt  CLLC Delivery Plan (Year 1 - 2019/20)

Postcodes: the seeds give only one (Hendon Town Hall, NW4 4BG). Any other
postcode below is a well-known public address, marked
``# postcode: public address, not in seeds``, and exists in
../shared/geo/barnet_postcodes.csv. Addresses are only given where the
seeds give them.

Deliberately left out: the women's refuges named in 001 (Minerva House,
Hannah House, Arlene House; 001_74f26b0b4220c599.txt:573-574) - refuge
locations must never be published as venues.
"""

import datetime

# ---------------------------------------------------------------------------
# Asset categories (Community Participation Strategy 2021, section 4.2 / 4.21)
# 003_c91605f45081f960.txt:592-597 lists the four categories as:
#   "- **Money:** direct investment and funding available to finance community benefits
#    - **Services:** work that can be provided by that group or individual. This includes
#      individual skills and as well as organisational expertise
#    - **Insight:** data, knowledge and other local intelligence held by a group or individual
#    - **Spaces** - buildings, open spaces and any other physical facilities"
# while the table in section 4.21 (003_c91605f45081f960.txt:605-611) labels its rows
#   "Money", "People", "Insight", "Spaces"
# (e.g. 003_c91605f45081f960.txt:611: "Spaces ... Council-managed buildings and spaces
#  - Council-owned venues for rent ... VCFS-managed spaces - Community venues - Places of
#  worship"). The portal uses the table's labels; "People" == the text's "Services".
# ---------------------------------------------------------------------------
ASSET_CATEGORIES = [
    {  # 003_c91605f45081f960.txt:594, 003_c91605f45081f960.txt:608
        "name": "Money",
        "description": "Direct investment and funding available to finance community benefits.",
        "source": "003_c91605f45081f960.txt:594, 003_c91605f45081f960.txt:608",
    },
    {  # 003_c91605f45081f960.txt:595, 003_c91605f45081f960.txt:609
        "name": "People",
        "description": "Work that can be provided by a group or individual (called 'Services' "
        "in the text), including individual skills and organisational expertise.",
        "source": "003_c91605f45081f960.txt:595, 003_c91605f45081f960.txt:609",
    },
    {  # 003_c91605f45081f960.txt:596, 003_c91605f45081f960.txt:610
        "name": "Insight",
        "description": "Data, knowledge and other local intelligence held by a group or individual.",
        "source": "003_c91605f45081f960.txt:596, 003_c91605f45081f960.txt:610",
    },
    {  # 003_c91605f45081f960.txt:597, 003_c91605f45081f960.txt:611
        "name": "Spaces",
        "description": "Buildings, open spaces and any other physical facilities.",
        "source": "003_c91605f45081f960.txt:597, 003_c91605f45081f960.txt:611",
    },
]

# ---------------------------------------------------------------------------
# 1. ORGANISATIONS
# kind: "vcfs" | "faith" | "business" | "statutory" | "infrastructure"
# ---------------------------------------------------------------------------
ORGANISATIONS = [
    # --- Infrastructure partners (Barnet Together) -------------------------
    {  # 002_6240a75a79bed02c.txt:152, 002_6240a75a79bed02c.txt:117, 003_c91605f45081f960.txt:421, 001_74f26b0b4220c599.txt:974, 001_74f26b0b4220c599.txt:983
        "name": "Barnet Together",
        "kind": "infrastructure",
        "categories": ["Infrastructure and support", "Volunteering", "Food", "Funding"],
        "description": "The VCFS infrastructure and development partnership of Inclusion Barnet, "
        "Young Barnet Foundation and Volunteering Barnet, and a core member of the "
        "CTN Steering Group. It led the VCFS side of the COVID-19 Community Response, "
        "runs the Community Response Fund (GBP 122,769 in 187 grants) and is being "
        "relaunched in 2022 as the Barnet Together Alliance with GBP 540,000 a year.",
        "source": "002_6240a75a79bed02c.txt:152, 002_6240a75a79bed02c.txt:117, 003_c91605f45081f960.txt:421, 001_74f26b0b4220c599.txt:974, 001_74f26b0b4220c599.txt:983",
    },
    {  # 002_6240a75a79bed02c.txt:152, 000_0692e8566ba44968.txt:874, 000_0692e8566ba44968.txt:829, 000_0692e8566ba44968.txt:1276
        "name": "Inclusion Barnet",
        "kind": "infrastructure",
        "categories": ["Infrastructure and support", "Hate crime reporting", "Libraries"],
        "description": "Barnet Together partner contracted since November 2018 to provide "
        "infrastructure support (one-to-one sessions and workshops) to the voluntary "
        "sector. It is also a Hate Crime Reporting Centre and delivers New Barnet "
        "Partnership Library on behalf of the council.",
        "source": "002_6240a75a79bed02c.txt:152, 000_0692e8566ba44968.txt:874, 000_0692e8566ba44968.txt:829, 000_0692e8566ba44968.txt:1276",
    },
    {  # 002_6240a75a79bed02c.txt:152, 002_6240a75a79bed02c.txt:76, 001_74f26b0b4220c599.txt:980
        "name": "Young Barnet Foundation",
        "kind": "infrastructure",
        "categories": ["Youth", "Infrastructure and support"],
        "description": "Barnet Together partner for children and young people's organisations; it "
        "already uses the Upshot VCFSE performance-reporting tool with young people's "
        "groups. The CTN works with it to support children in care and care leavers.",
        "source": "002_6240a75a79bed02c.txt:152, 002_6240a75a79bed02c.txt:76, 001_74f26b0b4220c599.txt:980",
    },
    {  # 000_0692e8566ba44968.txt:874, 003_c91605f45081f960.txt:405, 003_c91605f45081f960.txt:425, 001_74f26b0b4220c599.txt:1005, 001_74f26b0b4220c599.txt:1008
        "name": "Volunteering Barnet",
        "kind": "infrastructure",
        "categories": ["Volunteering", "Infrastructure and support", "Health"],
        "description": "The borough's centralised volunteering service within Barnet Together, "
        "contracted since August 2017. Since April 2020 it has taken 2,347 new "
        "volunteer registrations through its online portal; it delivers the Health "
        "Champions programme and is co-developing a borough Volunteering Strategy.",
        "source": "000_0692e8566ba44968.txt:874, 003_c91605f45081f960.txt:405, 003_c91605f45081f960.txt:425, 001_74f26b0b4220c599.txt:1005, 001_74f26b0b4220c599.txt:1008",
    },
    {  # 000_0692e8566ba44968.txt:829, 003_c91605f45081f960.txt:1096, 000_0692e8566ba44968.txt:561, 000_0692e8566ba44968.txt:660, 000_0692e8566ba44968.txt:217
        "name": "Community Barnet",
        "kind": "infrastructure",
        "categories": ["Infrastructure and support", "Hate crime reporting"],
        "description": "Hate Crime Reporting Centre and a partner of the Safer Communities "
        "Partnership Board. Its representative signed the Armed Forces Covenant on "
        "behalf of the voluntary and community sector; it also ran healthy-"
        "relationships training for trainers.",
        "source": "000_0692e8566ba44968.txt:829, 003_c91605f45081f960.txt:1096, 000_0692e8566ba44968.txt:561, 000_0692e8566ba44968.txt:660, 000_0692e8566ba44968.txt:217",
    },
    # --- Faith ---------------------------------------------------------------
    {  # 002_6240a75a79bed02c.txt:183, 002_6240a75a79bed02c.txt:117, 003_c91605f45081f960.txt:676, 001_74f26b0b4220c599.txt:989
        "name": "Barnet Multi Faith Forum",
        "kind": "faith",
        "categories": ["Faith", "Interfaith"],
        "description": "The borough strategic partner for faith communities (BMFF) and a core member "
        "of the CTN Steering Group. Co-signatory with the council of the Barnet Faith "
        "Covenant and Pledge, re-signed at Hendon Town Hall on 15 November 2021.",
        "source": "002_6240a75a79bed02c.txt:183, 002_6240a75a79bed02c.txt:117, 003_c91605f45081f960.txt:676, 001_74f26b0b4220c599.txt:989",
    },
    {  # 003_c91605f45081f960.txt:846
        "name": "Westminster Roman Catholic Diocese Trustee",
        "kind": "faith",
        "categories": ["Faith", "Carers", "Learning disability"],
        "description": "Funded in the first round of the Community Innovation Fund to develop an "
        "online Carers Forum for unpaid carers of adults with learning disabilities "
        "living in Barnet.",
        "source": "003_c91605f45081f960.txt:846",
    },
    # --- Business ------------------------------------------------------------
    {  # 002_6240a75a79bed02c.txt:117
        "name": "Federation of Small Businesses",
        "kind": "business",
        "categories": ["Business"],
        "description": "Core member of the CTN Steering Group, representing local businesses.",
        "source": "002_6240a75a79bed02c.txt:117",
    },
    {  # 001_74f26b0b4220c599.txt:1029
        "name": "Spacehive",
        "kind": "business",
        "categories": ["Funding"],
        "description": "Provides and administers the online platform for CrowdFund Barnet, the "
        "council's civic crowdfunding scheme.",
        "source": "001_74f26b0b4220c599.txt:1029",
    },
    # --- Statutory partners --------------------------------------------------
    {  # 002_6240a75a79bed02c.txt:117, 002_6240a75a79bed02c.txt:173, 003_c91605f45081f960.txt:1080, 001_74f26b0b4220c599.txt:683
        "name": "Metropolitan Police",
        "kind": "statutory",
        "categories": ["Community safety"],
        "description": "Strategic partner on the CTN Steering Group ('Police') and Vice Chair of the "
        "Safer Communities Partnership Board; runs Operation Encompass with the "
        "council and schools.",
        "source": "002_6240a75a79bed02c.txt:117, 002_6240a75a79bed02c.txt:173, 003_c91605f45081f960.txt:1080, 001_74f26b0b4220c599.txt:683",
    },
    {  # 002_6240a75a79bed02c.txt:117, 003_c91605f45081f960.txt:1087, 000_0692e8566ba44968.txt:557
        "name": "London Fire Brigade",
        "kind": "statutory",
        "categories": ["Community safety", "Emergency planning"],
        "description": "Represented on the CTN Steering Group ('Fire') and a partner of the Safer "
        "Communities Partnership Board; signatory of the Armed Forces Covenant.",
        "source": "002_6240a75a79bed02c.txt:117, 003_c91605f45081f960.txt:1087, 000_0692e8566ba44968.txt:557",
    },
    {  # 002_6240a75a79bed02c.txt:117, 003_c91605f45081f960.txt:1088, 001_74f26b0b4220c599.txt:212
        "name": "Barnet Clinical Commissioning Group",
        "kind": "statutory",
        "categories": ["Health"],
        "description": "NHS commissioner on the CTN Steering Group and the Safer Communities "
        "Partnership Board; also represented on the Community Safety MARAC.",
        "source": "002_6240a75a79bed02c.txt:117, 003_c91605f45081f960.txt:1088, 001_74f26b0b4220c599.txt:212",
    },
    {  # 003_c91605f45081f960.txt:827
        "name": "North Central London Clinical Commissioning Group",
        "kind": "statutory",
        "categories": ["Health", "Funding"],
        "description": "NHS member of the Barnet Integrated Care Partnership, which contributes to "
        "the Community Innovation Fund.",
        "source": "003_c91605f45081f960.txt:827",
    },
    {  # 003_c91605f45081f960.txt:827, 001_74f26b0b4220c599.txt:1016
        "name": "Barnet Integrated Care Partnership",
        "kind": "statutory",
        "categories": ["Health", "Funding"],
        "description": "Partnership of the council's Adults and Health directorate, local acute "
        "trusts and the NCL CCG; launched the Community Innovation Fund with the "
        "council in February 2021 and sets its health and wellbeing priorities.",
        "source": "003_c91605f45081f960.txt:827, 001_74f26b0b4220c599.txt:1016",
    },
    {  # 003_c91605f45081f960.txt:167
        "name": "Barnet Enfield and Haringey Mental Health Trust",
        "kind": "statutory",
        "categories": ["Mental health"],
        "description": "One of the agencies working with the Safer Communities Partnership on domestic abuse.",
        "source": "003_c91605f45081f960.txt:167",
    },
    {  # 000_0692e8566ba44968.txt:828, 003_c91605f45081f960.txt:1089
        "name": "Mayor's Office for Policing and Crime (MOPAC)",
        "kind": "statutory",
        "categories": ["Community safety", "Funding"],
        "description": "Funds the Barnet Zero Tolerance to Hate Crime project and is a partner of "
        "the Safer Communities Partnership Board.",
        "source": "000_0692e8566ba44968.txt:828, 003_c91605f45081f960.txt:1089",
    },
    {  # 003_c91605f45081f960.txt:1098, 002_6240a75a79bed02c.txt:169
        "name": "Department for Work and Pensions",
        "kind": "statutory",
        "categories": ["Employment", "Mental health"],
        "description": "Safer Communities Partnership Board partner; presented its free mental "
        "health support for individuals and employees at the CTN meeting of "
        "19 September 2019.",
        "source": "003_c91605f45081f960.txt:1098, 002_6240a75a79bed02c.txt:169",
    },
    {  # 003_c91605f45081f960.txt:1086
        "name": "National Probation Service",
        "kind": "statutory",
        "categories": ["Community safety"],
        "description": "Partner of the Barnet Safer Communities Partnership Board.",
        "source": "003_c91605f45081f960.txt:1086",
    },
    {  # 003_c91605f45081f960.txt:1090
        "name": "Barnet Safer Neighbourhood Board",
        "kind": "statutory",
        "categories": ["Community safety"],
        "description": "Partner of the Barnet Safer Communities Partnership Board.",
        "source": "003_c91605f45081f960.txt:1090",
    },
    {  # 000_0692e8566ba44968.txt:829, 001_74f26b0b4220c599.txt:576, 001_74f26b0b4220c599.txt:566, 001_74f26b0b4220c599.txt:577, 000_0692e8566ba44968.txt:514
        "name": "Barnet Homes",
        "kind": "statutory",
        "categories": ["Housing", "Domestic abuse", "Hate crime reporting"],
        "description": "Hate Crime Reporting Centre. Runs the Domestic Abuse One Stop Shop, the "
        "Minerva House refuge and the Sanctuary Scheme; signs the Armed Forces "
        "Covenant on behalf of the housing sector.",
        "source": "000_0692e8566ba44968.txt:829, 001_74f26b0b4220c599.txt:576, 001_74f26b0b4220c599.txt:566, 001_74f26b0b4220c599.txt:577, 000_0692e8566ba44968.txt:514",
    },
    {  # 000_0692e8566ba44968.txt:829
        "name": "Your Choice Barnet",
        "kind": "statutory",
        "categories": ["Hate crime reporting"],
        "description": "One of the nine Hate Crime Reporting Centres across the borough.",
        "source": "000_0692e8566ba44968.txt:829",
    },
    {  # 003_c91605f45081f960.txt:688, 003_c91605f45081f960.txt:1091, 000_0692e8566ba44968.txt:906, 000_0692e8566ba44968.txt:535
        "name": "Middlesex University",
        "kind": "statutory",
        "categories": ["Education"],
        "description": "Produced the faith leaders' COVID-19 video; partner of the Safer Communities "
        "Partnership Board and of the libraries' Year of Learning; signs the Armed "
        "Forces Covenant on behalf of education.",
        "postcode": "NW4 4BT",  # postcode: public address, not in seeds
        "source": "003_c91605f45081f960.txt:688, 003_c91605f45081f960.txt:1091, 000_0692e8566ba44968.txt:906, 000_0692e8566ba44968.txt:535",
    },
    {  # 003_c91605f45081f960.txt:817, 000_0692e8566ba44968.txt:906, 000_0692e8566ba44968.txt:542
        "name": "Barnet and Southgate College",
        "kind": "statutory",
        "categories": ["Education", "Employment"],
        "description": "Delivers an employability training programme with the West Hendon "
        "Community Hub (219 residents in the last year); libraries' Year of Learning "
        "partner and Armed Forces Covenant signatory for education.",
        "source": "003_c91605f45081f960.txt:817, 000_0692e8566ba44968.txt:906, 000_0692e8566ba44968.txt:542",
    },
    {  # 000_0692e8566ba44968.txt:666, 000_0692e8566ba44968.txt:498
        "name": "Greater London Reserve Forces and Cadet Association",
        "kind": "statutory",
        "categories": ["Armed forces"],
        "description": "GL RFCA: signs the Armed Forces Covenant on behalf of the Reserve Forces and "
        "Cadet community and handles Employer Recognition Scheme nominations.",
        "source": "000_0692e8566ba44968.txt:666, 000_0692e8566ba44968.txt:498",
    },
    {  # 000_0692e8566ba44968.txt:667
        "name": "HQ London District (Army)",
        "kind": "statutory",
        "categories": ["Armed forces"],
        "description": "Military stakeholder in the re-signing of the Armed Forces Covenant and in "
        "the Armed Forces Covenant partnership meetings.",
        "source": "000_0692e8566ba44968.txt:667",
    },
    # --- VCFS: hate crime reporting centres ----------------------------------
    {  # 000_0692e8566ba44968.txt:828, 000_0692e8566ba44968.txt:829, 000_0692e8566ba44968.txt:1198
        "name": "Barnet Mencap",
        "kind": "vcfs",
        "categories": ["Hate crime reporting", "Learning disability"],
        "description": "Works with the council and Police on the MOPAC-funded Barnet Zero Tolerance "
        "to Hate Crime project and is one of the Hate Crime Reporting Centres.",
        "source": "000_0692e8566ba44968.txt:828, 000_0692e8566ba44968.txt:829, 000_0692e8566ba44968.txt:1198",
    },
    {  # 000_0692e8566ba44968.txt:829, 001_74f26b0b4220c599.txt:524
        "name": "Galop",
        "kind": "vcfs",
        "categories": ["Hate crime reporting", "LGBT+", "Domestic abuse"],
        "description": "Hate Crime Reporting Centre; spoke at the March 2021 panel on BAMER women "
        "experiencing gender-based violence.",
        "source": "000_0692e8566ba44968.txt:829, 001_74f26b0b4220c599.txt:524",
    },
    {  # 000_0692e8566ba44968.txt:829
        "name": "Hft",
        "kind": "vcfs",
        "categories": ["Hate crime reporting"],
        "description": "One of the nine Hate Crime Reporting Centres across the borough.",
        "source": "000_0692e8566ba44968.txt:829",
    },
    {  # 000_0692e8566ba44968.txt:829
        "name": "Homeless Action Barnet",
        "kind": "vcfs",
        "categories": ["Hate crime reporting", "Housing"],
        "description": "One of the nine Hate Crime Reporting Centres across the borough.",
        "source": "000_0692e8566ba44968.txt:829",
    },
    {  # 000_0692e8566ba44968.txt:829
        "name": "Community Security Trust",
        "kind": "vcfs",
        "categories": ["Hate crime reporting", "Community safety"],
        "description": "One of the nine Hate Crime Reporting Centres across the borough.",
        "source": "000_0692e8566ba44968.txt:829",
    },
    # --- VCFS: community safety / domestic abuse -----------------------------
    {  # 000_0692e8566ba44968.txt:748, 000_0692e8566ba44968.txt:758
        "name": "Neighbourhood Watch",
        "kind": "vcfs",
        "categories": ["Community safety"],
        "description": "Over 2,700 Neighbourhood Watches across the borough are linked to the OWL "
        "(Online Watch Link) crime-prevention system.",
        "source": "000_0692e8566ba44968.txt:748, 000_0692e8566ba44968.txt:758",
    },
    {  # 003_c91605f45081f960.txt:1097, 001_74f26b0b4220c599.txt:421, 001_74f26b0b4220c599.txt:519
        "name": "Victim Support",
        "kind": "vcfs",
        "categories": ["Victim support", "Domestic abuse", "Community safety"],
        "description": "Safer Communities Partnership Board partner (North London Division) and a "
        "main source of referrals to the Domestic Abuse MARAC; commissioned by MOPAC "
        "to provide IDVAs, including a part-time IDVA at Colindale Police Station.",
        "source": "003_c91605f45081f960.txt:1097, 001_74f26b0b4220c599.txt:421, 001_74f26b0b4220c599.txt:519",
    },
    {  # 001_74f26b0b4220c599.txt:536, 001_74f26b0b4220c599.txt:566, 001_74f26b0b4220c599.txt:576, 001_74f26b0b4220c599.txt:421
        "name": "Solace Women's Aid",
        "kind": "vcfs",
        "categories": ["Domestic abuse", "Women"],
        "description": "Runs Barnet's IDVA service, the Barnet Solace Advocacy and Support Service "
        "(1,313 referrals in 2021), and two council-commissioned women's refuges; "
        "partner in the Domestic Abuse One Stop Shop.",
        "source": "001_74f26b0b4220c599.txt:536, 001_74f26b0b4220c599.txt:566, 001_74f26b0b4220c599.txt:576, 001_74f26b0b4220c599.txt:421",
    },
    {  # 001_74f26b0b4220c599.txt:589, 001_74f26b0b4220c599.txt:625, 001_74f26b0b4220c599.txt:435, 001_74f26b0b4220c599.txt:643
        "name": "Rise Mutual",
        "kind": "vcfs",
        "categories": ["Domestic abuse"],
        "description": "Commissioned by the council to deliver domestic abuse perpetrator "
        "programmes for adults, partners and young people aged 11-18 (186 new "
        "referrals in 2021), and the Culturally Integrated Family Approach (CIFA) "
        "programme with Brent and Enfield.",
        "source": "001_74f26b0b4220c599.txt:589, 001_74f26b0b4220c599.txt:625, 001_74f26b0b4220c599.txt:435, 001_74f26b0b4220c599.txt:643",
    },
    {  # 001_74f26b0b4220c599.txt:443
        "name": "Respect",
        "kind": "vcfs",
        "categories": ["Domestic abuse"],
        "description": "Spoke at the December 2021 webinar 'Engaging men and boys to end violence "
        "against women and girls'.",
        "source": "001_74f26b0b4220c599.txt:443",
    },
    {  # 001_74f26b0b4220c599.txt:433
        "name": "Hestia",
        "kind": "vcfs",
        "categories": ["Domestic abuse"],
        "description": "Ran the Domestic Abuse MARAC for high-risk victims until it was brought "
        "in-house to the council in April 2021.",
        "source": "001_74f26b0b4220c599.txt:433",
    },
    {  # 003_c91605f45081f960.txt:163
        "name": "Jewish Women's Aid",
        "kind": "vcfs",
        "categories": ["Domestic abuse", "Women"],
        "description": "Member of the Domestic Abuse and VAWG Forum; delivered half-day domestic "
        "violence training praised by councillors.",
        "source": "003_c91605f45081f960.txt:163",
    },
    {  # 001_74f26b0b4220c599.txt:524, 001_74f26b0b4220c599.txt:576
        "name": "Asian Women's Resource Centre",
        "kind": "vcfs",
        "categories": ["Women", "Domestic abuse"],
        "description": "Partner in the Barnet Domestic Abuse One Stop Shop; spoke at the March 2021 "
        "panel on BAMER women experiencing gender-based violence.",
        "source": "001_74f26b0b4220c599.txt:524, 001_74f26b0b4220c599.txt:576",
    },
    {  # 001_74f26b0b4220c599.txt:524
        "name": "Southall Black Sisters",
        "kind": "vcfs",
        "categories": ["Women", "Domestic abuse"],
        "description": "Spoke at the International Women's Day 2021 panel on BAMER women "
        "experiencing gender-based violence.",
        "source": "001_74f26b0b4220c599.txt:524",
    },
    {  # 001_74f26b0b4220c599.txt:524
        "name": "IKWRO",
        "kind": "vcfs",
        "categories": ["Women", "Domestic abuse"],
        "description": "Spoke at the International Women's Day 2021 panel on BAMER women "
        "experiencing gender-based violence.",
        "source": "001_74f26b0b4220c599.txt:524",
    },
    {  # 001_74f26b0b4220c599.txt:524
        "name": "London Black Women's Project",
        "kind": "vcfs",
        "categories": ["Women", "Domestic abuse"],
        "description": "Spoke at the International Women's Day 2021 panel on BAMER women "
        "experiencing gender-based violence.",
        "source": "001_74f26b0b4220c599.txt:524",
    },
    {  # 001_74f26b0b4220c599.txt:524
        "name": "Barnet New Citizen Gateway",
        "kind": "vcfs",
        "categories": ["Refugees and migrants", "Advice"],
        "description": "Formerly Barnet Refugee Service; spoke on migrant and refugee women in "
        "Barnet at the March 2021 panel on gender-based violence.",
        "source": "001_74f26b0b4220c599.txt:524",
    },
    # --- VCFS: health, mental health, older people ---------------------------
    {  # 001_74f26b0b4220c599.txt:212
        "name": "Barnet Network for Mental Health",
        "kind": "vcfs",
        "categories": ["Mental health"],
        "description": "Represented, with the CCG, on the Community Safety MARAC.",
        "source": "001_74f26b0b4220c599.txt:212",
    },
    {  # 003_c91605f45081f960.txt:849
        "name": "Twining Enterprise",
        "kind": "vcfs",
        "categories": ["Mental health", "Employment"],
        "description": "Community Innovation Fund round 1: four Employment Specialists supporting "
        "100 clients a year with mental health problems into sustained employment.",
        "source": "003_c91605f45081f960.txt:849",
    },
    {  # 003_c91605f45081f960.txt:423
        "name": "Age UK Barnet",
        "kind": "vcfs",
        "categories": ["Older people"],
        "description": "Sector partner to which the COVID-19 Community Help Hub referred residents in need.",
        "source": "003_c91605f45081f960.txt:423",
    },
    {  # 003_c91605f45081f960.txt:851
        "name": "Community Network Group CIC",
        "kind": "vcfs",
        "categories": ["Older people", "Digital inclusion"],
        "description": "Community Innovation Fund round 1: support for over 40 isolated Farsi-"
        "speaking elderly people with exercise, emotional wellbeing workshops and "
        "digital inclusion lessons.",
        "source": "003_c91605f45081f960.txt:851",
    },
    {  # 003_c91605f45081f960.txt:852
        "name": "Stonegrove Community Trust",
        "kind": "vcfs",
        "categories": ["Health", "Older people"],
        "description": "Community Innovation Fund round 1: a Postural Stability Instructor working "
        "within NHS rehab services, running two classes a week to help people "
        "regain lost mobility.",
        "source": "003_c91605f45081f960.txt:852",
    },
    {  # 003_c91605f45081f960.txt:746, 003_c91605f45081f960.txt:754
        "name": "Groundwork London",
        "kind": "vcfs",
        "categories": ["Health", "Volunteering"],
        "description": "Named in the 2021 strategy as delivering the Community Health Champions "
        "programme launched in November 2020 (250 residents joined).",
        "source": "003_c91605f45081f960.txt:746, 003_c91605f45081f960.txt:754",
    },
    {  # 003_c91605f45081f960.txt:823
        "name": "No.1 Fitness Academy",
        "kind": "vcfs",
        "categories": ["Health", "Employment"],
        "description": "Local social enterprise providing a health and fitness programme on the "
        "Dollis Valley Estate, funded through Section 106.",
        "source": "003_c91605f45081f960.txt:823",
    },
    # --- VCFS: arts, advice, skills, food -----------------------------------
    {  # 003_c91605f45081f960.txt:850, 000_0692e8566ba44968.txt:906
        "name": "Arts Depot",
        "kind": "vcfs",
        "categories": ["Arts", "Older people", "Health"],
        "description": "The Arts Depot Trust Limited: Community Innovation Fund round 1 falls-"
        "prevention dance and movement outreach programme; a cultural partner of "
        "the libraries' Year of Learning.",
        "postcode": "N12 0GA",  # postcode: public address, not in seeds
        "source": "003_c91605f45081f960.txt:850, 000_0692e8566ba44968.txt:906",
    },
    {  # 003_c91605f45081f960.txt:847
        "name": "Community Focus Inclusive Arts",
        "kind": "vcfs",
        "categories": ["Arts", "Older people", "Digital inclusion"],
        "description": "Community Innovation Fund round 1: using art to improve the wellbeing of "
        "disadvantaged residents over 55 and to build digital skills and peer "
        "support networks.",
        "source": "003_c91605f45081f960.txt:847",
    },
    {  # 003_c91605f45081f960.txt:848
        "name": "Barnet Citizens Advice",
        "kind": "vcfs",
        "categories": ["Advice", "Employment"],
        "description": "Community Innovation Fund round 1: an adviser supporting self-employed "
        "residents to stay in business (including business debt advice) and "
        "unemployed residents to set up a business.",
        "source": "003_c91605f45081f960.txt:848",
    },
    {  # 003_c91605f45081f960.txt:872, 003_c91605f45081f960.txt:874
        "name": "Sowing Stitches",
        "kind": "vcfs",
        "categories": ["Employment", "Skills"],
        "description": "Crowdfunded in 2019: converted an unused shop into a centre offering "
        "tailoring training to residents from disadvantaged backgrounds.",
        "source": "003_c91605f45081f960.txt:872, 003_c91605f45081f960.txt:874",
    },
    {  # 003_c91605f45081f960.txt:868, 003_c91605f45081f960.txt:870
        "name": "GROW",
        "kind": "vcfs",
        "categories": ["Food", "Environment", "Education"],
        "description": "Educational programme that crowdfunded an outdoor classroom in 2019, turning "
        "an empty field into a working farm teaching children about food, nutrition "
        "and the environment.",
        "source": "003_c91605f45081f960.txt:868, 003_c91605f45081f960.txt:870",
    },
    {  # 001_74f26b0b4220c599.txt:985, 003_c91605f45081f960.txt:633, 003_c91605f45081f960.txt:635
        "name": "Barnet Food Hub",
        "kind": "vcfs",
        "categories": ["Food", "Environment"],
        "description": "Barnet Together partner project, operating since November 2020 from the "
        "former East Barnet Library site, that supplies surplus food to 18 food banks "
        "and 13 community groups providing cooked meals.",
        "source": "001_74f26b0b4220c599.txt:985, 003_c91605f45081f960.txt:633, 003_c91605f45081f960.txt:635",
    },
    {  # 003_c91605f45081f960.txt:637
        "name": "World Memon Organisation",
        "kind": "vcfs",
        "categories": ["Food"],
        "description": "Offered in April 2021 to give the Food Hub 2,000-plus food items a month "
        "for 4-6 months, worth up to GBP 30-40k.",
        "source": "003_c91605f45081f960.txt:637",
    },
    {  # 003_c91605f45081f960.txt:819
        "name": "Metropolitan Thames Valley",
        "kind": "vcfs",
        "categories": ["Housing", "Food"],
        "description": "Housing association on the West Hendon estate; has used the West Hendon "
        "Community Hub as a foodbank and won a COVID-19 recovery grant jointly with "
        "the council.",
        "source": "003_c91605f45081f960.txt:819",
    },
    # --- VCFS: youth, volunteering, cohesion, funding ------------------------
    {  # 002_6240a75a79bed02c.txt:168, 000_0692e8566ba44968.txt:833
        "name": "Unitas Youth Zone",
        "kind": "vcfs",
        "categories": ["Youth"],
        "description": "Barnet's Youth Zone; hosted the CTN open meeting of 6 June 2019, where it "
        "was presented to the network.",
        "postcode": "HA8 0DT",  # postcode: public address, not in seeds
        "source": "002_6240a75a79bed02c.txt:168, 000_0692e8566ba44968.txt:833",
    },
    {  # 001_74f26b0b4220c599.txt:134
        "name": "Jewish Volunteering Network",
        "kind": "vcfs",
        "categories": ["Volunteering"],
        "description": "Volunteering charity named in a councillor's declaration of interest at the "
        "October 2021 committee.",
        "source": "001_74f26b0b4220c599.txt:134",
    },
    {  # 003_c91605f45081f960.txt:736, 003_c91605f45081f960.txt:740
        "name": "Near Neighbours",
        "kind": "vcfs",
        "categories": ["Community cohesion", "Engagement"],
        "description": "Charity that ran the government-funded 'Real People Honest Talk' project in "
        "Barnet in 2019: facilitated discussions in four neighbourhood areas and a "
        "'Big Conversation' feedback event at the Town Hall.",
        "website": "https://www.near-neighbours.org.uk",
        "source": "003_c91605f45081f960.txt:736, 003_c91605f45081f960.txt:740",
    },
    {  # 003_c91605f45081f960.txt:891, 003_c91605f45081f960.txt:608
        "name": "Barnet Giving",
        "kind": "vcfs",
        "categories": ["Funding"],
        "description": "Local funder listed as a VCFS funding asset; Barnet Together's new Community "
        "Fundraising post will help groups take up its grants.",
        "source": "003_c91605f45081f960.txt:891, 003_c91605f45081f960.txt:608",
    },
]

# ---------------------------------------------------------------------------
# 1a. WHERE THE ORGANISATIONS HELP PEOPLE (HSDS service_areas)
# Only where the papers say so, quoted from the ORGANISATIONS records above (line numbers in this file,
# and the seed line they come from). "borough": all of Barnet; "remote": online or by phone; a list of
# 2022 ward names. Organisations not listed here say nothing about their area and keep none.
# ---------------------------------------------------------------------------
SERVICE_AREAS = {
    # demo_data.py:79 "The VCFS infrastructure and development partnership" of the borough (002_6240a75a79bed02c.txt:152)
    "Barnet Together": "borough",
    # demo_data.py:91 "infrastructure support (one-to-one sessions and workshops) to the voluntary sector" (002:152)
    "Inclusion Barnet": "borough",
    # demo_data.py:100 "Barnet Together partner for children and young people's organisations" (002:152)
    "Young Barnet Foundation": "borough",
    # demo_data.py:109 "The borough's centralised volunteering service" (000_0692e8566ba44968.txt:874)
    "Volunteering Barnet": "borough",
    # demo_data.py:119 "Hate Crime Reporting Centre" (000:829: the nine centres "across the borough")
    "Community Barnet": "borough",
    # demo_data.py:130 "The borough strategic partner for faith communities" (002_6240a75a79bed02c.txt:183)
    "Barnet Multi Faith Forum": "borough",
    # demo_data.py:140 "an online Carers Forum for unpaid carers ... living in Barnet" (003_c91605f45081f960.txt:846)
    "Westminster Roman Catholic Diocese Trustee": "remote",
    # demo_data.py:156 "Provides and administers the online platform for CrowdFund Barnet" (001_74f26b0b4220c599.txt:1029)
    "Spacehive": "remote",
    # demo_data.py:245 "Hate Crime Reporting Centre. Runs the Domestic Abuse One Stop Shop" (000:829, 001:576)
    "Barnet Homes": "borough",
    # demo_data.py:255, 314, 321, 328 "One of the nine Hate Crime Reporting Centres across the borough" (000:829)
    "Your Choice Barnet": "borough",
    "Hft": "borough",
    "Homeless Action Barnet": "borough",
    "Community Security Trust": "borough",
    # demo_data.py:298 "one of the Hate Crime Reporting Centres" (000_0692e8566ba44968.txt:829)
    "Barnet Mencap": "borough",
    # demo_data.py:305 "Hate Crime Reporting Centre" (000_0692e8566ba44968.txt:829)
    "Galop": "borough",
    # demo_data.py:335 "Over 2,700 Neighbourhood Watches across the borough" (000_0692e8566ba44968.txt:748)
    "Neighbourhood Watch": "borough",
    # demo_data.py:344 "a main source of referrals to the Domestic Abuse MARAC" (Barnet's; 001_74f26b0b4220c599.txt:421)
    "Victim Support": "borough",
    # demo_data.py:352 "Runs Barnet's IDVA service" (001_74f26b0b4220c599.txt:536)
    "Solace Women's Aid": "borough",
    # demo_data.py:361 "Commissioned by the council to deliver domestic abuse perpetrator programmes" (001:589)
    "Rise Mutual": "borough",
    # demo_data.py:395 "Partner in the Barnet Domestic Abuse One Stop Shop" (001_74f26b0b4220c599.txt:576)
    "Asian Women's Resource Centre": "borough",
    # demo_data.py:427 "Formerly Barnet Refugee Service" (001_74f26b0b4220c599.txt:524)
    "Barnet New Citizen Gateway": "borough",
    # demo_data.py:451 "the COVID-19 Community Help Hub referred residents in need" (003_c91605f45081f960.txt:423)
    "Age UK Barnet": "borough",
    # demo_data.py:485 "a health and fitness programme on the Dollis Valley Estate" (003:823; the estate is in Underhill ward)
    "No.1 Fitness Academy": ["Underhill"],
    # demo_data.py:512 "an adviser supporting self-employed residents" (003_c91605f45081f960.txt:848)
    "Barnet Citizens Advice": "borough",
    # demo_data.py:539 "supplies surplus food to 18 food banks and 13 community groups" (003_c91605f45081f960.txt:633)
    "Barnet Food Hub": "borough",
    # demo_data.py:555 "Housing association on the West Hendon estate" (003_c91605f45081f960.txt:819)
    "Metropolitan Thames Valley": ["West Hendon"],
    # demo_data.py:271 "an employability training programme with the West Hendon Community Hub" (003:817)
    "Barnet and Southgate College": ["West Hendon"],
    # demo_data.py:565 "Barnet's Youth Zone" (002_6240a75a79bed02c.txt:168)
    "Unitas Youth Zone": "borough",
    # demo_data.py:583 "ran the ... 'Real People Honest Talk' project in Barnet" (003_c91605f45081f960.txt:736)
    "Near Neighbours": "borough",
    # demo_data.py:592 "Local funder listed as a VCFS funding asset" (003_c91605f45081f960.txt:891)
    "Barnet Giving": "borough",
}

# ---------------------------------------------------------------------------
# 2. VENUES
# kind: "community centre" | "library" | "youth centre" | "council building"
#       | "place of worship" | "park" | "other"
# category: one of "Spaces", "People", "Money", "Insight" (see ASSET_CATEGORIES)
# owner (only if known): "council-owned" | "CBAT lease" | "VCFS" | "private"
# ---------------------------------------------------------------------------
VENUES = [
    {  # 002_6240a75a79bed02c.txt:167
        "name": "Independent Living Centre",
        "kind": "other",
        "category": "Spaces",
        "source": "002_6240a75a79bed02c.txt:167",
    },
    {  # 002_6240a75a79bed02c.txt:168, 000_0692e8566ba44968.txt:833
        "name": "Unitas Youth Zone",
        "kind": "youth centre",
        "postcode": "HA8 0DT",  # postcode: public address, not in seeds
        "category": "Spaces",
        "source": "002_6240a75a79bed02c.txt:168, 000_0692e8566ba44968.txt:833",
    },
    {  # 002_6240a75a79bed02c.txt:169
        "name": "2 Bristol Avenue, Colindale",
        "kind": "council building",
        "address": "2 Bristol Avenue, Colindale",
        "postcode": "NW9 4EW",  # postcode: public address, not in seeds
        "category": "Spaces",
        "owner": "council-owned",
        "source": "002_6240a75a79bed02c.txt:169",
    },
    {  # 002_6240a75a79bed02c.txt:164
        "name": "OneStoneGrove",
        "kind": "community centre",
        "address": "Edgware",
        "category": "Spaces",
        "source": "002_6240a75a79bed02c.txt:164",
    },
    {  # 003_c91605f45081f960.txt:15, 001_74f26b0b4220c599.txt:989
        "name": "Hendon Town Hall",
        "kind": "council building",
        "address": "The Burroughs, London NW4 4BG",
        "postcode": "NW4 4BG",  # 003_c91605f45081f960.txt:15 (given in seeds)
        "category": "Spaces",
        "owner": "council-owned",
        "source": "003_c91605f45081f960.txt:15, 001_74f26b0b4220c599.txt:989",
    },
    {  # 003_c91605f45081f960.txt:121, 003_c91605f45081f960.txt:1203
        "name": "Hendon Library",
        "kind": "library",
        "postcode": "NW4 4BQ",  # postcode: public address, not in seeds
        "category": "Spaces",
        "owner": "council-owned",
        "source": "003_c91605f45081f960.txt:121, 003_c91605f45081f960.txt:1203",
    },
    {  # 000_0692e8566ba44968.txt:709, 000_0692e8566ba44968.txt:1062
        "name": "Colindale Library",
        "kind": "library",
        "category": "Spaces",
        "source": "000_0692e8566ba44968.txt:709, 000_0692e8566ba44968.txt:1062",
    },
    {  # 000_0692e8566ba44968.txt:1278, 000_0692e8566ba44968.txt:709
        "name": "Finchley Church End Library",
        "kind": "library",
        "postcode": "N3 1TR",  # postcode: public address, not in seeds
        "category": "Spaces",
        "source": "000_0692e8566ba44968.txt:1278, 000_0692e8566ba44968.txt:709",
    },
    {  # 001_74f26b0b4220c599.txt:259
        "name": "Burnt Oak Library",
        "kind": "library",
        "category": "Spaces",
        "source": "001_74f26b0b4220c599.txt:259",
    },
    {  # 000_0692e8566ba44968.txt:1276
        "name": "New Barnet Partnership Library",
        "kind": "library",
        "address": "New Barnet Leisure Centre",
        "category": "Spaces",
        "source": "000_0692e8566ba44968.txt:1276",
    },
    {  # 003_c91605f45081f960.txt:633, 001_74f26b0b4220c599.txt:985
        "name": "Barnet Food Hub (former East Barnet Library)",
        "kind": "other",
        "address": "Site of the former East Barnet Library",
        "category": "Spaces",
        "source": "003_c91605f45081f960.txt:633, 001_74f26b0b4220c599.txt:985",
    },
    {  # 003_c91605f45081f960.txt:815, 003_c91605f45081f960.txt:817
        "name": "West Hendon Community Hub",
        "kind": "community centre",
        "category": "Spaces",
        "source": "003_c91605f45081f960.txt:815, 003_c91605f45081f960.txt:817",
    },
    {  # 003_c91605f45081f960.txt:629
        "name": "RAF Museum (Essential Supplies Hub hangar)",
        "kind": "other",
        "postcode": "NW9 5LL",  # postcode: public address, not in seeds
        "category": "Spaces",
        "source": "003_c91605f45081f960.txt:629",
    },
    {  # 000_0692e8566ba44968.txt:906, 003_c91605f45081f960.txt:850
        "name": "Arts Depot",
        "kind": "other",
        "postcode": "N12 0GA",  # postcode: public address, not in seeds
        "category": "Spaces",
        "source": "000_0692e8566ba44968.txt:906, 003_c91605f45081f960.txt:850",
    },
    {  # 000_0692e8566ba44968.txt:257
        "name": "Brent Cross Shopping Centre",
        "kind": "other",
        "postcode": "NW4 3FP",  # postcode: public address, not in seeds
        "category": "Spaces",
        "owner": "private",
        "source": "000_0692e8566ba44968.txt:257",
    },
    {  # 003_c91605f45081f960.txt:197, 003_c91605f45081f960.txt:199
        "name": "Montrose Park",
        "kind": "park",
        "category": "Spaces",
        "source": "003_c91605f45081f960.txt:197, 003_c91605f45081f960.txt:199",
    },
    {  # 003_c91605f45081f960.txt:795
        "name": "Dollis Brook",
        "kind": "other",
        "category": "Spaces",
        "source": "003_c91605f45081f960.txt:795",
    },
    {  # 001_74f26b0b4220c599.txt:1033
        "name": "Memorial Woodland",
        "kind": "park",
        "category": "Spaces",
        "source": "001_74f26b0b4220c599.txt:1033",
    },
]

# ---------------------------------------------------------------------------
# 3. CTN_MEETINGS (002 sections 3.2 and 3.10)
# ---------------------------------------------------------------------------
CTN_MEETINGS = [
    {  # 002_6240a75a79bed02c.txt:136
        "kind": "steering_group",
        "date": datetime.date(2018, 12, 10),
        "venue": None,  # not given in the seeds
        "theme": "Annual review and workplan",
        "attendees": None,  # held, but attendance not given in the seeds
        "agenda": [
            "Review of network progress over the last year",
            "Future workplan and themes for the quarterly open meetings",
        ],
        "source": "002_6240a75a79bed02c.txt:136",
    },
    {  # 002_6240a75a79bed02c.txt:167
        "kind": "open_forum",
        "date": datetime.date(2019, 3, 7),
        "venue": "Independent Living Centre",
        "theme": "Responding to Needs",
        "attendees": 30,
        "agenda": [
            "Brexit Preparedness Planning",
            "Voluntary, Community and Faith Sector Support Needs survey",
            "Barnet Together Community Support Service",
        ],
        "source": "002_6240a75a79bed02c.txt:167",
    },
    {  # 002_6240a75a79bed02c.txt:168, 000_0692e8566ba44968.txt:833
        "kind": "open_forum",
        "date": datetime.date(2019, 6, 6),
        "venue": "Unitas Youth Zone",
        "theme": "Emergency Planning",
        "attendees": 23,
        "agenda": [
            "Barnet's new Youth Zone",
            "Emergency Planning - how the voluntary community sector can respond",
            "Together, we are Barnet campaign",
            "Barnet Council's employee volunteering scheme",
        ],
        "source": "002_6240a75a79bed02c.txt:168, 000_0692e8566ba44968.txt:833",
    },
    {  # 002_6240a75a79bed02c.txt:169
        "kind": "open_forum",
        "date": datetime.date(2019, 9, 19),
        "venue": "2 Bristol Avenue, Colindale",
        "theme": "Mental Health",
        "attendees": 40,
        "agenda": [
            "DWP free mental health support to individuals and employees",
            "Mental health services in Barnet",
            "National Lottery Community Funding",
            "Support for consortium bidding",
        ],
        "source": "002_6240a75a79bed02c.txt:169",
    },
    {  # 002_6240a75a79bed02c.txt:164, 002_6240a75a79bed02c.txt:141
        # Theme not stated for this meeting; taken from the Winter slot of the
        # Steering Group's theme plan (002_6240a75a79bed02c.txt:141).
        "kind": "open_forum",
        "date": datetime.date(2019, 11, 28),
        "venue": "OneStoneGrove",
        "theme": "Food security",
        "attendees": None,  # not yet held when the report was written
        "agenda": [],
        "source": "002_6240a75a79bed02c.txt:164, 002_6240a75a79bed02c.txt:141",
    },
]

# ---------------------------------------------------------------------------
# 4. CTN_THEME_PLAN (002 section 3.2, agreed by the Steering Group 10 Dec 2018)
# ---------------------------------------------------------------------------
CTN_THEME_PLAN = [
    {  # 002_6240a75a79bed02c.txt:138
        "season": "Spring",
        "theme": "Responding to needs",
        "source": "002_6240a75a79bed02c.txt:138",
    },
    {  # 002_6240a75a79bed02c.txt:139
        "season": "Summer",
        "theme": "Emergency planning",
        "source": "002_6240a75a79bed02c.txt:139",
    },
    {  # 002_6240a75a79bed02c.txt:140
        "season": "Autumn",
        "theme": "Mental health",
        "source": "002_6240a75a79bed02c.txt:140",
    },
    {  # 002_6240a75a79bed02c.txt:141
        "season": "Winter",
        "theme": "Food security",
        "source": "002_6240a75a79bed02c.txt:141",
    },
]

# ---------------------------------------------------------------------------
# 5. CTN_STEERING_GROUP (002 section 2.4.1)
# "member" is the wording of the seed; "organisation" matches an
# ORGANISATIONS name (None where the seed names a role, not a body).
# ---------------------------------------------------------------------------
CTN_STEERING_GROUP = [
    {  # 002_6240a75a79bed02c.txt:117
        "member": "Chairman of the Community Leadership and Libraries Committee",
        "organisation": None,
        "role": "chair",
        "source": "002_6240a75a79bed02c.txt:117",
    },
    {  # 002_6240a75a79bed02c.txt:117
        "member": "VCFS Development Partnership - Barnet Together",
        "organisation": "Barnet Together",
        "role": "core member",
        "source": "002_6240a75a79bed02c.txt:117",
    },
    {  # 002_6240a75a79bed02c.txt:117
        "member": "Barnet Multi Faith Forum",
        "organisation": "Barnet Multi Faith Forum",
        "role": "core member",
        "source": "002_6240a75a79bed02c.txt:117",
    },
    {  # 002_6240a75a79bed02c.txt:117, 002_6240a75a79bed02c.txt:173
        "member": "Police",
        "organisation": "Metropolitan Police",
        "role": "core member",
        "source": "002_6240a75a79bed02c.txt:117, 002_6240a75a79bed02c.txt:173",
    },
    {  # 002_6240a75a79bed02c.txt:117, 003_c91605f45081f960.txt:1087
        "member": "Fire",
        "organisation": "London Fire Brigade",
        "role": "core member",
        "source": "002_6240a75a79bed02c.txt:117, 003_c91605f45081f960.txt:1087",
    },
    {  # 002_6240a75a79bed02c.txt:117
        "member": "Barnet Clinical Commissioning Group",
        "organisation": "Barnet Clinical Commissioning Group",
        "role": "core member",
        "source": "002_6240a75a79bed02c.txt:117",
    },
    {  # 002_6240a75a79bed02c.txt:117
        "member": "Federation of Small Businesses",
        "organisation": "Federation of Small Businesses",
        "role": "core member",
        "source": "002_6240a75a79bed02c.txt:117",
    },
]

# ---------------------------------------------------------------------------
# 6. CTN_FACTS: numeric facts, each {"value": int, "source": "file:line"}
# ---------------------------------------------------------------------------
CTN_FACTS = {
    # 002_6240a75a79bed02c.txt:114
    "members": {"value": 1261, "source": "002_6240a75a79bed02c.txt:114"},
    # 002_6240a75a79bed02c.txt:114
    "council_officer_members": {"value": 340, "source": "002_6240a75a79bed02c.txt:114"},
    # 002_6240a75a79bed02c.txt:160
    "bulletin_recipients_previous": {"value": 660, "source": "002_6240a75a79bed02c.txt:160"},
    # 002_6240a75a79bed02c.txt:160
    "bulletin_recipients": {"value": 1261, "source": "002_6240a75a79bed02c.txt:160"},
    # 000_0692e8566ba44968.txt:835 (first digital bulletin, 24 May 2019)
    "bulletin_first_digital_recipients": {"value": 862, "source": "000_0692e8566ba44968.txt:835"},
    # 002_6240a75a79bed02c.txt:119 ("fortnightly email newsletter")
    "bulletin_interval_weeks": {"value": 2, "source": "002_6240a75a79bed02c.txt:119"},
    # 002_6240a75a79bed02c.txt:119, 002_6240a75a79bed02c.txt:162
    "facebook_group_members": {"value": 129, "source": "002_6240a75a79bed02c.txt:119, 002_6240a75a79bed02c.txt:162"},
    # 000_0692e8566ba44968.txt:835 (closed Facebook platform launched 17 June 2019)
    "facebook_group_members_at_q1_2019": {"value": 117, "source": "000_0692e8566ba44968.txt:835"},
    # 002_6240a75a79bed02c.txt:117, 004_eefa4e81a284a492.txt:37, 000_0692e8566ba44968.txt:860
    "open_meetings_target_per_year": {
        "value": 4,
        "source": "002_6240a75a79bed02c.txt:117, 004_eefa4e81a284a492.txt:37, 000_0692e8566ba44968.txt:860",
    },
    # 002_6240a75a79bed02c.txt:117 ("meets annually in December")
    "steering_group_meetings_per_year": {"value": 1, "source": "002_6240a75a79bed02c.txt:117"},
    # 002_6240a75a79bed02c.txt:164
    "open_meetings_held_2019_at_report": {"value": 3, "source": "002_6240a75a79bed02c.txt:164"},
    # 002_6240a75a79bed02c.txt:167, 002_6240a75a79bed02c.txt:168, 002_6240a75a79bed02c.txt:169 (30 + 23 + 40)
    "open_meeting_attendees_2019_total": {
        "value": 93,
        "source": "002_6240a75a79bed02c.txt:167, 002_6240a75a79bed02c.txt:168, 002_6240a75a79bed02c.txt:169",
    },
    # 002_6240a75a79bed02c.txt:99 ("fifth annual report")
    "annual_report_number": {"value": 5, "source": "002_6240a75a79bed02c.txt:99"},
    # 002_6240a75a79bed02c.txt:17 (set up after the social unrest of 2011)
    "year_set_up": {"value": 2011, "source": "002_6240a75a79bed02c.txt:17"},
    # 002_6240a75a79bed02c.txt:17 (formalised October 2013)
    "year_formalised": {"value": 2013, "source": "002_6240a75a79bed02c.txt:17"},
    # 002_6240a75a79bed02c.txt:121 (terms of reference adopted March 2016)
    "year_terms_of_reference_adopted": {"value": 2016, "source": "002_6240a75a79bed02c.txt:121"},
    # 002_6240a75a79bed02c.txt:181
    "together_we_are_barnet_featured_organisations": {"value": 10, "source": "002_6240a75a79bed02c.txt:181"},
}

# The ward lists (ONS codes and names) are reference data, kept in seed/wards.py.
