//! Words for a believable organisation that works in Dutch and English.

pub const FIRST_NAMES: &[&str] = &[
    "Anna",
    "Bram",
    "Daan",
    "Emma",
    "Femke",
    "Lars",
    "Sanne",
    "Jeroen",
    "Noor",
    "Thijs",
    "Lotte",
    "Ruben",
    "Iris",
    "Sem",
    "Fleur",
    "Joris",
    "Mila",
    "Bas",
    "Evi",
    "Koen",
    "Julia",
    "Milan",
    "Sophie",
    "Luuk",
    "Tess",
    "Niels",
    "Hanna",
    "Stijn",
    "Maud",
    "Pieter",
    "Yara",
    "Wouter",
    "Amira",
    "Mohamed",
    "Fatima",
    "Youssef",
    "Priya",
    "James",
    "Olivia",
    "Liam",
    "Charlotte",
    "Ethan",
    "Grace",
    "Oliver",
    "Chloe",
    "Noah",
    "Isla",
    "Lucas",
    "Zoë",
    "Marieke",
    "Gerrit",
    "Ingrid",
    "Hendrik",
    "Wilma",
    "Kees",
    "Astrid",
    "Joost",
    "Ilse",
    "Martijn",
    "Nadia",
];

pub const LAST_NAMES: &[&str] = &[
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van Dijk",
    "Schouten",
    "Willems",
    "Hoekstra",
    "El Amrani",
    "Yılmaz",
    "Kaya",
    "Nguyen",
    "Patel",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Kowalski",
    "Novak",
    "Rossi",
    "García",
];

pub const ORGANISATIONS: &[&str] = &[
    "Waterland Logistiek",
    "Gemeente Oosterhout",
    "Noordlicht Energie",
    "Polder Software",
    "Zuidkust Zorggroep",
];

/// Department names, each with the teams it typically has.
pub const DEPARTMENTS: &[(&str, &[&str])] = &[
    (
        "Klantenservice",
        &[
            "Team Noord",
            "Team Zuid",
            "Chat & Social",
            "Kennisbank",
            "Klachtenafhandeling",
        ],
    ),
    (
        "Engineering",
        &[
            "Platform",
            "Mobile App",
            "Betalingen",
            "Search",
            "Identity",
            "Developer Experience",
            "Data Platform",
        ],
    ),
    (
        "Marketing",
        &[
            "Brand",
            "Growth",
            "Content",
            "Campagnes",
            "Marketing Analytics",
        ],
    ),
    (
        "Financiën",
        &[
            "Control",
            "Accounts Payable",
            "Financial Planning",
            "Treasury",
        ],
    ),
    (
        "Operations",
        &[
            "Warehouse Noord",
            "Warehouse Zuid",
            "Transport",
            "Planning",
            "Inkoop",
            "Facility",
        ],
    ),
    (
        "People & Culture",
        &[
            "Recruitment",
            "Learning & Development",
            "HR Operations",
            "Wellbeing",
        ],
    ),
    (
        "Sales",
        &["Enterprise", "MKB", "Partnerships", "Sales Operations"],
    ),
    (
        "Product",
        &["Onboarding", "Pricing", "Insights", "Product Design"],
    ),
    (
        "Data & Analytics",
        &["BI", "Data Science", "Data Governance"],
    ),
    ("Legal & Compliance", &["Privacy", "Contracten", "Risk"]),
    (
        "IT",
        &[
            "Werkplek",
            "Security Operations",
            "Infrastructuur",
            "Service Desk",
        ],
    ),
    (
        "Duurzaamheid",
        &["CO₂-reductie", "Circulair Inkopen", "Energie"],
    ),
];

/// Concrete pieces of work that should move an objective's key results.
pub const INITIATIVES: &[&str] = &[
    "Klantpanel elk kwartaal organiseren",
    "Run a pricing experiment with ten customers",
    "Nieuwe kennisbank live zetten",
    "Automate the weekly report",
    "Mentorprogramma voor nieuwe collega's",
    "Replace the legacy deployment scripts",
    "Chatbot voor veelgestelde vragen",
    "Publish a public status page",
    "Routeplanning optimaliseren met nieuwe software",
    "Quarterly security awareness training",
    "Leveranciersgesprekken over verpakkingsmateriaal",
    "Set up on-call rotation with clear handovers",
];

/// What colleagues say about an objective along the way.
pub const COMMENTS: &[&str] = &[
    "Mooie stap deze week! Kunnen we de aanpak delen met de andere teams?",
    "I think the second key result is too easy. Shall we raise the target next quarter?",
    "We lopen achter door de vakantieperiode, maar de trend is goed.",
    "Great progress. The customer panel confirmed we are on the right track.",
    "Is er hulp nodig van het platformteam? Laat het gerust weten.",
    "Let's discuss the confidence drop in Thursday's review.",
    "De eerste resultaten van de pilot zijn veelbelovend.",
    "Aligned this with the department objective after our planning session.",
];

/// Objective titles, each with why it matters in the words of the people who
/// wrote it (in the title's language): the organisation's, a department's, a
/// team's or a person's.
pub const OBJECTIVES: &[(&str, &str)] = &[
    (
        "Klanten zijn fan van onze service",
        "Klanten blijven als ze zich gehoord voelen. Dit kwartaal richten we ons op snelle, persoonlijke antwoorden en op het wegnemen van de drie grootste ergernissen uit de klantenpanels.",
    ),
    (
        "Delight customers from their very first day",
        "The first week decides whether a customer stays. We make sign-up, the first order and the first call to support feel effortless, and we ask every new customer how it went.",
    ),
    (
        "Word de meest betrouwbare partner in de regio",
        "Partners kiezen voor ons omdat we doen wat we beloven. We leveren op tijd, communiceren open als iets misgaat en lossen klachten binnen een week op.",
    ),
    (
        "Make our platform boringly reliable",
        "Reliability is a feature. When our platform just works, our customers stop thinking about it and start relying on it. We measure it, we fix what breaks, and we stop the same thing breaking twice.",
    ),
    (
        "Halveer onze CO₂-uitstoot",
        "Duurzaamheid is geen project maar een manier van werken. Dit doel vertaalt onze klimaatambitie naar concrete stappen in transport, energie en inkoop.",
    ),
    (
        "Grow recurring revenue profitably",
        "Growth only counts when it lasts. We focus on customers who stay, on pricing that reflects the value we deliver, and on a pipeline we can trust.",
    ),
    (
        "Iedere medewerker groeit en blijft",
        "We willen dat iedereen hier met plezier werkt en kan groeien. Daarom investeren we in opleiding, duidelijke loopbaanpaden en goede gesprekken met je leidinggevende.",
    ),
    (
        "Ship faster without breaking things",
        "Shipping small changes often is safer than shipping big changes rarely. We invest in tests, automation and review habits so every team can release with confidence.",
    ),
    (
        "Maak data de basis van elke beslissing",
        "Te vaak beslissen we op gevoel. We zorgen dat de cijfers die ertoe doen voor iedereen beschikbaar, actueel en begrijpelijk zijn, en we gebruiken ze in elk overleg.",
    ),
    (
        "Build a sales engine that scales",
        "Today every deal depends on a few heroes. We build a repeatable way to find, qualify and close customers, so new colleagues sell well within their first quarter.",
    ),
    (
        "Vereenvoudig onze processen",
        "Onze processen zijn in de loop der jaren gegroeid, niet ontworpen. We kiezen de drie processen die het meest tijd kosten en maken ze eenvoudiger, samen met de mensen die ze dagelijks uitvoeren.",
    ),
    (
        "Open up our data to the public",
        "Public money, public data. We publish the datasets people ask for most, in open formats, with documentation a citizen can understand.",
    ),
    (
        "Verlaag de doorlooptijd van bestellingen",
        "Klanten wachten te lang tussen bestelling en levering. We halen wachttijd uit het magazijn en de planning, zodat een bestelling voor 16:00 de volgende dag geleverd is.",
    ),
    (
        "Become the easiest company to work with",
        "Customers and partners should never have to chase us. We answer quickly, keep our promises and remove the paperwork nobody needs.",
    ),
    (
        "Versterk onze informatiebeveiliging",
        "Een datalek raakt het vertrouwen van iedereen die met ons werkt. We dichten de bekende lekken, trainen elke collega en oefenen wat we doen als het toch misgaat.",
    ),
    (
        "Launch our product in Germany",
        "Germany is our largest untapped market. We localise the product, find our first reference customers and set up support in German before we scale up marketing.",
    ),
    (
        "Zorg voor een gezonde werkdruk",
        "Te veel collega's lopen op hun tenen. We maken de werkdruk zichtbaar, verdelen het werk eerlijker en schrappen taken die niemand mist.",
    ),
    (
        "Make onboarding effortless for new colleagues",
        "A new colleague should feel at home and be productive within a month. We give every newcomer a buddy, a clear first-week plan and everything they need on day one.",
    ),
    (
        "Verbeter de kwaliteit van onze code",
        "Elke bug in productie kost ons klanten en avonden. We schrijven tests bij elke wijziging, ruimen de ergste technische schuld op en reviewen elkaars werk.",
    ),
    (
        "Turn support into a source of insight",
        "Support hears every day what customers struggle with. We tag and count every ticket and bring the top problems to product planning each month.",
    ),
    (
        "Bouw aan een sterk en herkenbaar merk",
        "Mensen moeten ons herkennen en onthouden. We brengen één duidelijke boodschap, in één herkenbare stijl, op elk kanaal waar onze klanten zijn.",
    ),
    (
        "Reduce waste across the supply chain",
        "Every pallet we throw away is money and material lost. We measure waste at each step from supplier to customer and cut it where it is largest.",
    ),
    (
        "Maak onze app toegankelijk voor iedereen",
        "Ook mensen met een beperking moeten onze app zonder hulp kunnen gebruiken. We voldoen aan WCAG 2.1 AA en testen met echte gebruikers.",
    ),
    (
        "Keep cloud costs under control",
        "Our cloud bill grows faster than our customers. We make every team see what it spends, switch off what nobody uses and right-size the rest.",
    ),
    (
        "Verhoog de betrokkenheid van medewerkers",
        "Betrokken collega's maken het verschil voor onze klanten. We vragen elk kwartaal hoe het gaat, bespreken de uitkomsten in elk team en doen iets met wat we horen.",
    ),
    (
        "Win back customers we lost last year",
        "We lost too many good customers last year, often for reasons we could have fixed. We call every one of them, learn why they left and make them an offer worth coming back for.",
    ),
    (
        "Automatiseer repetitief werk",
        "Te veel tijd gaat op aan handmatig overtypen en controleren. We automatiseren de taken die het vaakst terugkomen, zodat collega's tijd krijgen voor werk dat aandacht vraagt.",
    ),
    (
        "Become a great place for engineers",
        "Good engineers choose teams where they learn and ship. We give them modern tools, time to improve what slows them down and a clear path to grow.",
    ),
    (
        "Lever sneller en voorspelbaarder op",
        "Klanten willen weten wanneer iets klaar is, en daarop kunnen rekenen. We werken in kleinere stappen, plannen realistisch en melden vroeg als iets uitloopt.",
    ),
    (
        "Make every invoice right the first time",
        "Every wrong invoice costs us a phone call, a credit note and some trust. We fix the data at the source so invoices go out right the first time.",
    ),
];

/// Metric key results: title with {start}/{target} placeholders, unit, typical start,
/// typical target, and whether lower is better.
/// Whether a title template is Dutch (and so writes a decimal comma).
pub fn is_dutch(template: &str) -> bool {
    [" naar ", " blijft ", " van "]
        .iter()
        .any(|w| template.contains(w))
}

pub const METRICS: &[(&str, &str, f64, f64, bool)] = &[
    ("NPS van {start} naar {target}", "", 21.0, 40.0, false),
    (
        "Reduce first response time from {start} to {target} hours",
        "h",
        12.0,
        2.0,
        true,
    ),
    (
        "Klanttevredenheid van {start} naar {target}",
        "",
        7.1,
        8.2,
        false,
    ),
    (
        "Grow monthly active users from {start} to {target}",
        "users",
        12000.0,
        20000.0,
        false,
    ),
    (
        "Verlaag het ziekteverzuim van {start}% naar {target}%",
        "%",
        6.5,
        4.5,
        true,
    ),
    (
        "Increase conversion from {start}% to {target}%",
        "%",
        2.1,
        3.5,
        false,
    ),
    (
        "Churn omlaag van {start}% naar {target}%",
        "%",
        4.8,
        2.5,
        true,
    ),
    (
        "Cut p95 latency from {start} ms to {target} ms",
        "ms",
        900.0,
        250.0,
        true,
    ),
    (
        "Omzet uit nieuwe klanten van €{start}k naar €{target}k",
        "k EUR",
        400.0,
        750.0,
        false,
    ),
    (
        "Raise test coverage from {start}% to {target}%",
        "%",
        55.0,
        80.0,
        false,
    ),
    (
        "Doorlooptijd bestellingen van {start} naar {target} dagen",
        "days",
        5.0,
        2.0,
        true,
    ),
    (
        "Publish {target} open datasets",
        "datasets",
        0.0,
        25.0,
        false,
    ),
    (
        "Energieverbruik van {start} naar {target} MWh",
        "MWh",
        1200.0,
        950.0,
        true,
    ),
    (
        "Grow the pipeline from €{start}k to €{target}k",
        "k EUR",
        800.0,
        1500.0,
        false,
    ),
    (
        "Medewerkerstevredenheid van {start} naar {target}",
        "",
        7.0,
        7.8,
        false,
    ),
    (
        "Reduce open security findings from {start} to {target}",
        "findings",
        45.0,
        5.0,
        true,
    ),
    (
        "Aantal trainingsuren per medewerker van {start} naar {target}",
        "h",
        8.0,
        24.0,
        false,
    ),
    (
        "Lower cloud spend from €{start}k to €{target}k per month",
        "k EUR",
        95.0,
        70.0,
        true,
    ),
];

/// Threshold key results: title with {target}, unit, target, and whether the value
/// must stay at or above (true) or at or below (false).
pub const THRESHOLDS: &[(&str, &str, f64, bool)] = &[
    ("Uptime blijft minimaal {target}%", "%", 99.9, true),
    ("Keep error rate at or below {target}%", "%", 0.5, false),
    ("Budget blijft onder €{target}k", "k EUR", 250.0, false),
    (
        "Customer satisfaction stays at or above {target}",
        "",
        8.0,
        true,
    ),
];

pub const BINARIES: &[&str] = &[
    "Launch the new billing system",
    "Nieuwe website live",
    "ISO 27001-certificering behaald",
    "Sign the partnership with a major retailer",
    "Nieuwe cao afgesloten",
    "Move the last service off the old datacentre",
    "Toegankelijkheidsaudit afgerond",
];

/// Milestone key results: title and their milestones.
pub const MILESTONE_SETS: &[(&str, &[&str])] = &[
    (
        "Migrate to the new data platform",
        &[
            "Design approved",
            "Pilot team migrated",
            "Half the pipelines moved",
            "Old platform switched off",
        ],
    ),
    (
        "Nieuw onboardingprogramma",
        &[
            "Programma ontworpen",
            "Buddy-systeem gestart",
            "Eerste cohort gestart",
            "Evaluatie gedeeld",
        ],
    ),
    (
        "Roll out single sign-on",
        &[
            "Provider chosen",
            "Internal apps connected",
            "Customer portal connected",
        ],
    ),
    (
        "Magazijn Zuid geautomatiseerd",
        &[
            "Leverancier gekozen",
            "Installatie",
            "Proefdraaien",
            "In gebruik",
        ],
    ),
];

pub const NOTES: &[&str] = &[
    "Goede week, op schema.",
    "Blocked on the vendor, escalated.",
    "Nieuwe campagne loopt beter dan verwacht.",
    "Two people out sick, slower week.",
    "Eerste resultaten van de pilot zijn positief.",
    "Dependency on Platform team resolved.",
    "Meting vertraagd door een datalek-audit.",
    "Steady progress.",
    "We hebben de aanpak bijgesteld na klantgesprekken.",
    "Release slipped a week, recovering.",
];

#[cfg(test)]
mod tests {
    use super::OBJECTIVES;

    /// Words only one of the two languages writes this often.
    fn dutch(text: &str) -> bool {
        let text = format!(" {} ", text.to_lowercase());
        let score = |words: &[&str]| words.iter().filter(|w| text.contains(*w)).count();
        score(&[
            " de ", " het ", " een ", " en ", " van ", " onze ", " zijn ",
        ]) > score(&[" the ", " and ", " our ", " to ", " of ", " every ", " is "])
    }

    #[test]
    fn every_objective_has_its_own_description_in_its_language() {
        let mut seen = std::collections::HashSet::new();
        for (title, about) in OBJECTIVES {
            assert!(about.len() > 40, "{title}");
            assert!(seen.insert(*about), "{title}: a description used twice");
            assert!(!dutch(title) || dutch(about), "{title}: {about}");
        }
        let dutch_titles = OBJECTIVES.iter().filter(|(_, about)| dutch(about)).count();
        assert!(dutch_titles > 10 && dutch_titles < OBJECTIVES.len() - 10);
    }
}
