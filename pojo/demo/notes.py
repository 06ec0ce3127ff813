"""What supervisors write when they award: short notes in the agent's own language."""

import random

# criterion code -> language -> notes; weights say how often supervisors pick each criterion.
MANUAL_CRITERIA = {
    "helped_colleague": 3,
    "customer_praise": 3,
    "knowledge_shared": 1,
    "quality_excellent": 2,
    "covered_shift": 1,
}

NOTES = {
    "helped_colleague": {
        "fi": (
            "Autoit uutta kollegaa laskutusreklamaatiossa, vaikka oma jono oli pitkä. Kiitos!",
            "Perehdytit kesätyöntekijää koko aamupäivän kärsivällisesti.",
            "Otit hankalan eskalaation hoitaaksesi, kun kollega oli jumissa.",
            "Kävit tiimin kanssa läpi uuden hinnaston muutokset ennen ruuhkaa.",
            "Autoit Bravo-tiimiä, kun heiltä puuttui kaksi ihmistä.",
        ),
        "en": (
            "Helped a new colleague through a billing complaint while your own queue was long.",
            "Spent the morning coaching our new starter, very patiently.",
            "Took over a tricky escalation when a colleague was stuck.",
            "Walked the team through the new price list before the rush.",
            "Jumped in to help team Bravo when they were two people short.",
        ),
    },
    "customer_praise": {
        "fi": (
            "Asiakas kiitti sähköpostissa nimeltä: 'ystävällisin palvelu ikinä'.",
            "Asiakas kirjoitti palautteeseen, että ratkaisit asian ennen kuin hän ehti huolestua.",
            "Kiitoskirje iäkkäältä asiakkaalta, jota autoit verkkopankin kanssa.",
            "Yritysasiakas kiitti nopeasta reagoinnista katkostilanteessa.",
        ),
        "en": (
            "A customer thanked you by name by e-mail: 'the kindest service ever'.",
            "A customer wrote that you solved it before they had time to worry.",
            "A thank-you letter from an elderly customer you helped with online banking.",
            "A business customer thanked you for reacting so fast during the outage.",
        ),
    },
    "knowledge_shared": {
        "fi": (
            "Päivitit tietopankin ohjeen numeronsiirrosta selkeämmäksi.",
            "Kirjoitit uuden artikkelin laskun eräpäivän siirrosta. Säästää meiltä kaikilta aikaa.",
            "Teit muistilistan chat-palvelun yleisimpiin kysymyksiin.",
        ),
        "en": (
            "Rewrote the knowledge-base article on number porting, much clearer now.",
            "Wrote a new article on moving an invoice's due date. Saves us all time.",
            "Made a cheat sheet for the most common chat questions.",
        ),
    },
    "quality_excellent": {
        "fi": (
            "Laatuarvio 98/100: rauhallinen, selkeä ja empaattinen puhelu.",
            "Erinomainen chat-laatuarvio: asiakas sai kaiken yhdellä kertaa.",
            "Laatuarvioinnin paras puhelu tässä kuussa.",
        ),
        "en": (
            "Quality review 98/100: calm, clear and empathetic call.",
            "Excellent chat quality review: the customer got everything in one go.",
            "The best call in this month's quality review.",
        ),
    },
    "covered_shift": {
        "fi": (
            "Tuurasit sairastuneen kollegan iltavuoron lyhyellä varoitusajalla.",
            "Otit lauantaivuoron, jotta kollega pääsi häihin.",
        ),
        "en": (
            "Covered a sick colleague's evening shift at short notice.",
            "Took the Saturday shift so a colleague could go to a wedding.",
        ),
    },
}

CANCEL_REASONS = {
    "fi": (
        "Toimittajalla ei ole tuotetta varastossa, pisteet palautettu.",
        "Työntekijän pyynnöstä, pisteet palautettu.",
        "Päivä ei sopinut vuorolistaan, pisteet palautettu.",
    ),
    "en": (
        "The supplier is out of stock; points refunded.",
        "Cancelled at the employee's request; points refunded.",
        "The day did not fit the roster; points refunded.",
    ),
}


def pick_criterion(rng: random.Random) -> str:
    codes = list(MANUAL_CRITERIA)
    return rng.choices(codes, weights=list(MANUAL_CRITERIA.values()))[0]


def note_for(rng: random.Random, code: str, language: str) -> str:
    return rng.choice(NOTES[code][language])


def cancel_reason(rng: random.Random, language: str) -> str:
    return rng.choice(CANCEL_REASONS[language])
