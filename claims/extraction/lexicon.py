"""Word lists shared by the extraction modules.

Everything here is data: lowercase words (or tuples of words for phrases) grouped by what they
signal. The lists are about kinds of events and kinds of speakers in general news and
testimony (conflict, disasters, labour, elections, courts, prices), not about any one text.
"""


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text`, as a set: keeps long lists readable."""
    return frozenset(text.split())


MONTHS = words(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec"""
)
WEEKDAYS = words("monday tuesday wednesday thursday friday saturday sunday")
RELATIVE_DAYS = words("yesterday today tonight overnight")

# Function words and pronouns: never a named entity, never a counted noun.
STOPWORDS = words(
    """a an the and or but nor so yet if then than that this these those there here it its is are
    was were be been being am has have had having do does did done i me my we us our you your
    he him his she her they them their who whom whose which what when where why how not no
    nobody none nothing neither either each every all any some such own same other another
    more most many much few several of in on at by for with from into onto over under about
    after before during since until while as to up down out off again also just only even
    still already very too now yes can could may might must shall should will would one ones
    per via against among between through across within without around toward towards upon
    like unlike because although though whether however meanwhile after all"""
)

# Verbs introducing what somebody asserts (reported speech); base forms and inflections.
SPEECH_VERBS = words(
    """say says said saying tell tells told telling stated announce announces announced claim
    claims claimed confirm confirms confirmed deny denies denied report reports reported
    declare declares declared insist insists insisted add adds added explain explains
    explained emphasize emphasizes emphasized emphasise emphasises emphasised stress stresses
    stressed warn warns warned accuse accuses accused admit admits admitted acknowledge
    acknowledges acknowledged allege alleges alleged estimate estimates estimated identify
    identifies identified describe describes described call calls called recall recalls
    recalled recount recounts recounted testify testifies testified write writes wrote repeat
    repeats repeated argue argues argued assert asserts asserted maintain maintains maintained
    ask asks asked demand demands demanded request requests requested seek seeks sought note
    notes noted"""
)

# Verbs of first-hand perception: "he heard explosions" is the witness's account.
PERCEPTION_VERBS = words(
    """saw see sees seen heard hear hears observed observe observes witnessed witness witnesses
    watched watch watches noticed notice notices smelled smelt smell smells felt remember
    remembers remembered"""
)

PRONOUNS_PERSON = words("he she i we they")

# Who a source phrase names. Multi-word entries are matched as token tuples.
GOVERNMENT_WORDS = words(
    """president presidents government governments minister ministers ministry ministries
    official officials authorities authority police policeman policemen policewoman officer
    officers army military troops soldiers soldier office agency investigators inspectors
    prosecutor prosecutors prosecution governor mayor administration kremlin parliament
    parliamentary lawmakers senator senators congress cabinet premier chancellor commissioner
    commission sheriff regime junta state embassy ambassador navy ministerial court courts
    judge judges magistrate tribunal"""
)
GOVERNMENT_PHRASES = frozenset(
    {
        ("security", "forces"),
        ("special", "forces"),
        ("national", "guard"),
        ("interior", "ministry"),
        ("white", "house"),
        ("city", "hall"),
        ("city", "administration"),
        ("prime", "minister"),
        ("election", "commission"),
        ("electoral", "commission"),
        ("fire", "service"),
        ("emergency", "services"),
        ("secret", "service"),
    }
)
ORGANIZATION_WORDS = words(
    """amnesty ngo ngos organisation organization organisations organizations union unions
    charity foundation association federation institute committee council coalition hospital
    hospitals university company firm corporation group groups observers monitors unicef unhcr
    unesco ombudsman campaigners watchdog church diocese"""
)
ORGANIZATION_PHRASES = frozenset(
    {
        ("human", "rights", "watch"),
        ("united", "nations"),
        ("red", "cross"),
        ("red", "crescent"),
        ("rights", "group"),
        ("human", "rights"),
        ("doctors", "without", "borders"),
        ("trade", "union"),
    }
)
MEDIA_WORDS = words(
    """reuters afp ap bbc cnn tass ria interfax xinhua aljazeera newspaper newspapers outlet
    outlets media broadcaster television tv radio channel website magazine tabloid daily
    reporters journalists press"""
)
MEDIA_PHRASES = frozenset(
    {
        ("associated", "press"),
        ("al", "jazeera"),
        ("news", "agency"),
        ("state", "media"),
        ("state", "television"),
        ("local", "media"),
    }
)
WITNESS_WORDS = words(
    """witness witnesses eyewitness eyewitnesses resident residents protester protesters
    protestor protestors demonstrator demonstrators activist activists victim victims relative
    relatives survivor survivors neighbour neighbours neighbor neighbors mother father wife
    husband son daughter brother sister worker workers farmer farmers student students driver
    drivers voter voters villager villagers passenger passengers nurse nurses doctor doctors
    teacher teachers striker strikers"""
)
# Words that make a statement second-hand without naming its source.
# Words for a spokesperson: official unless the phrase names a company, union or group.
SPOKESPERSON_WORDS = words("spokesman spokeswoman spokesperson spokespeople")
# Last words of names of organisations and of outlets ("Nordline Terminals", "Halden Courier").
ORGANIZATION_NAME_ENDINGS = words(
    """inc ltd llc plc corp corporation company co group holdings industries bank airlines
    airways energy mining motors systems technologies terminals logistics partners
    international foundation institute association union party council watch monitor network
    centre center coalition alliance federation trust"""
)
MEDIA_NAME_ENDINGS = words(
    """times post news courier herald gazette tribune journal daily telegraph guardian observer
    chronicle express mirror press radio tv television"""
)
HEARSAY_WORDS = words("reportedly allegedly supposedly rumoured rumored purportedly")
UNNAMED_SOURCE_WORDS = words("estimates sources reports rumours rumors unconfirmed")

# Event verbs by lemma -> (past, past participle). None means regular (-ed).
# "Strong" events are those whose truth is most often disputed: deaths, arrests, shootings.
STRONG_EVENT_VERBS = {
    "kill": None,
    "die": ("died", "died"),
    "arrest": None,
    "detain": None,
    "shoot": ("shot", "shot"),
    "injure": None,
    "wound": None,
    "disappear": None,
    "abduct": None,
    "kidnap": ("kidnapped", "kidnapped"),
    "torture": None,
    "execute": None,
    "massacre": None,
    "murder": None,
    "drown": None,
    "rape": None,
    "beat": ("beat", "beaten"),
}
EVENT_VERBS = {
    "fire": None,
    "storm": None,
    "burn": ("burned", "burnt"),
    "flood": None,
    "vote": None,
    "elect": None,
    "sentence": None,
    "convict": None,
    "acquit": ("acquitted", "acquitted"),
    "charge": None,
    "order": None,
    "rise": ("rose", "risen"),
    "fall": ("fell", "fallen"),
    "attack": None,
    "bomb": None,
    "explode": None,
    "destroy": None,
    "damage": None,
    "loot": None,
    "seize": None,
    "capture": None,
    "raid": None,
    "deploy": None,
    "evacuate": None,
    "rescue": None,
    "strike": ("struck", "struck"),
    "protest": None,
    "march": None,
    "gather": None,
    "disperse": None,
    "clash": None,
    "fight": ("fought", "fought"),
    "jail": None,
    "imprison": None,
    "fine": None,
    "ban": ("banned", "banned"),
    "block": None,
    "close": None,
    "shut": ("shut", "shut"),
    "suspend": None,
    "resign": None,
    "dismiss": None,
    "appoint": None,
    "declare": None,
    "impose": None,
    "lift": None,
    "approve": None,
    "reject": None,
    "sign": None,
    "count": None,
    "win": ("won", "won"),
    "lose": ("lost", "lost"),
    "increase": None,
    "decrease": None,
    "double": None,
    "triple": None,
    "drop": ("dropped", "dropped"),
    "collapse": None,
    "spread": ("spread", "spread"),
    "infect": None,
    "hospitalise": None,
    "hospitalize": None,
    "displace": None,
    "flee": ("fled", "fled"),
    "invade": None,
    "occupy": None,
    "withdraw": ("withdrew", "withdrawn"),
    "surrender": None,
    "release": None,
    "free": None,
    "relocate": None,
    "spark": None,
    "sweep": ("swept", "swept"),
    "extend": None,
    "build": ("built", "built"),
    "reinforce": None,
    "repair": None,
    "demolish": None,
    "concede": None,
    "decide": None,
    "overflow": None,
    "submerge": None,
    "breach": None,
    "burst": ("burst", "burst"),
    "erupt": None,
    "crash": None,
    "sink": ("sank", "sunk"),
    "rule": None,
    "plead": None,
    "appeal": None,
    "overturn": None,
    "adjourn": None,
    "halt": None,
    "stop": ("stopped", "stopped"),
    "cut": ("cut", "cut"),
    "raise": None,
    "hike": None,
    "picket": None,
    "blockade": None,
    "confiscate": None,
    "censor": None,
    "expel": ("expelled", "expelled"),
    "deport": None,
    "sue": None,
    "indict": None,
    "prosecute": None,
    "testify": ("testified", "testified"),
    "use": None,
    "start": None,
    "begin": ("began", "begun"),
    "arrive": None,
    "bring": ("brought", "brought"),
    "issue": None,
    "send": ("sent", "sent"),
}
# Verbs too common to count as events on their own ("use", "start", "bring"): they only count
# alongside an event noun in the same sentence.
WEAK_EVENT_VERBS = words("use start begin arrive bring issue send win lose")

# Nouns naming events, their instruments and their stakes.
EVENT_NOUNS = words(
    """protest protests demonstration demonstrations rally rallies riot riots unrest uprising
    clash clashes strike strikes walkout shooting shootings shots shot gunfire gunshots
    explosion explosions blast blasts attack attacks raid raids arrest arrests detention
    detentions casualties deaths death toll victims bodies flood floods flooding floodwater
    floodwaters evacuation evacuations curfew emergency ceasefire election elections vote
    votes ballots ballot turnout verdict trial hearing charges conviction acquittal appeal
    prices price inflation wages wage salaries salary unemployment budget tax taxes rise
    increase decline resignation coup tanks weapons ammunition bullets cartridges grenades
    grenade fighting violence torture massacre operation crackdown damage dam levee rainfall
    terrorism terrorist terrorists extremism extremist fire fires looting sentence prison jail
    fine fines order orders troops demand demands killing killings missing whereabouts
    disappearance hostages hostage refugees displaced evacuees injuries wounded dead injured
    investigation inquiry probe rain rains storm storms hurricane earthquake wildfire
    wildfires drought landslide landslides mudslide tornado typhoon cyclone heatwave snowstorm
    pay rent rents fares fees pensions batons recount ruling lawsuit indictment bail testimony
    fraud corruption bribes embezzlement evictions eviction layoffs closures shortages outage
    outages"""
)
# States that are as check-worthy as the strongest events.
STRONG_STATES = words("dead missing disappeared")
# Idioms that name an act of violence in words that are not event words on their own.
STRONG_EVENT_PHRASES = frozenset(
    {
        ("opened", "fire"),
        ("open", "fire"),
        ("opening", "fire"),
        ("opens", "fire"),
        ("shot", "dead"),
        ("set", "fire"),
        ("set", "on", "fire"),
        ("beaten", "to", "death"),
    }
)
EVENT_NOUN_PHRASES = frozenset(
    {
        ("tear", "gas"),
        ("state", "of", "emergency"),
        ("live", "ammunition"),
        ("death", "toll"),
        ("pepper", "spray"),
        ("water", "cannon"),
        ("rubber", "bullets"),
        ("stun", "grenades"),
        ("went", "up"),
        ("went", "down"),
        ("gone", "up"),
        ("polling", "stations"),
        ("polling", "station"),
    }
)
# "missing people": a claim about whereabouts, even without an event verb.
_NEGATED_KNOW = (
    ("don't", "know"),
    ("don't", "even", "know"),
    ("do", "not", "know"),
    ("does", "not", "know"),
    ("doesn't", "know"),
    ("did", "not", "know"),
    ("didn't", "know"),
    ("no", "one", "knows"),
    ("nobody", "knows"),
)
WHEREABOUTS_PHRASES = frozenset(
    (*negation, question) for negation in _NEGATED_KNOW for question in ("where", "whether")
)

# Signals that a sentence is not a factual statement.
FEELING_WORDS = words(
    """afraid fear fears feared fearful scared frightened terrified worried worry worries anxious
    hope hopes hoped hopeful sad sadness happy glad angry furious upset desperate despair feel
    feels feeling proud ashamed love loves hate hates grateful thankful relieved heartbroken
    devastated nervous lonely"""
)
SPECULATION_WORDS = words(
    "perhaps maybe possibly probably likely unlikely might presumably conceivably"
)
SPECULATION_PHRASES = frozenset(
    {
        ("i", "think"),
        ("i", "believe"),
        ("i", "guess"),
        ("i", "suppose"),
        ("i", "suspect"),
        ("i", "don't", "know"),
        ("i", "do", "not", "know"),
        ("not", "sure"),
        ("who", "knows"),
        ("could", "be"),
        ("may", "be"),
        ("may", "have"),
        ("might", "have"),
        ("must", "have"),
    }
)
MILD_HEDGE_WORDS = words("seems seem seemed apparently supposedly")
DESIRE_WORDS = words("want wants wish wishes intend intends dream dreams")
RECOMMENDATION_WORDS = words("should must ought urge urges")
RECOMMENDATION_PHRASES = frozenset(
    {
        ("need", "to"),
        ("needs", "to"),
        ("have", "to"),
        ("has", "to"),
        ("call", "on"),
        ("calls", "on"),
        ("press", "for"),
        ("let", "us"),
    }
)
FUTURE_WORDS = words("will won't shall")
FUTURE_PHRASES = frozenset({("going", "to"), ("is", "set", "to"), ("are", "set", "to")})
# Verbs of forecasting: what follows is a prediction.
FORECAST_WORDS = words("expect expects forecast forecasts predict predicts")
EVALUATION_WORDS = words(
    """terrible horrible awful shameful disgraceful outrageous unacceptable wonderful beautiful
    brave heroic cowardly ridiculous absurd best worst really truly absolutely obviously
    clearly unbelievable incredible scandalous tragic"""
)
EVALUATION_PHRASES = frozenset({("of", "course"), ("like", "a")})

# Scene-setting and how-the-reporting-was-done: factual but not worth checking.
SCENE_WORDS = words(
    """sits sat sitting smiles smiled shrugs shrugged nods nodded pauses paused sighs sighed
    looks imploringly"""
)
SCENE_PHRASES = frozenset(
    {
        ("lives", "in"),
        ("live", "in"),
        ("interview", "via"),
        ("interview", "over"),
        ("interview", "by"),
        ("in", "an", "interview"),
        ("by", "phone"),
        ("by", "telephone"),
        ("via", "skype"),
        ("via", "video"),
        ("his", "experiences"),
        ("her", "experiences"),
        ("their", "experiences"),
        ("report", "what", "happened"),
        ("describe", "what", "happened"),
        ("describes", "what", "happened"),
        ("told", "us"),
        ("spoke", "to"),
        ("analysed", "videos"),
        ("analyzed", "videos"),
        ("contributed", "reporting"),
        ("no", "immediate", "comment"),
        ("declined", "to", "comment"),
        ("could", "not", "be", "reached"),
        ("request", "for", "comment"),
        ("no", "immediate", "response"),
        ("did", "not", "say"),
        ("didn't", "say"),
        ("declined", "to", "say"),
        ("refused", "to", "say"),
        ("would", "not", "say"),
        ("did", "not", "comment"),
        ("did", "not", "respond"),
        ("not", "commented"),
        ("no", "comment"),
        ("has", "been", "updated"),
        ("has", "been", "corrected"),
        ("again", "and", "again"),
        ("at", "the", "same", "time"),
    }
)
# Verbs of analysis used for how reporting was done ("we analysed 80 videos").
METHOD_VERBS = words(
    "analysed analyzed reviewed verified geolocated examined interviewed photographed"
)
MEDIA_OBJECT_WORDS = words("videos video photos photographs images footage clips posts")

# Lines that belong to the page, not to the testimony.
BOILERPLATE_PHRASES = frozenset(
    {
        ("leave", "a", "reply"),
        ("leave", "a", "comment"),
        ("your", "email", "address"),
        ("required", "fields"),
        ("all", "rights", "reserved"),
        ("skip", "to", "main", "content"),
        ("skip", "to", "content"),
        ("sign", "up"),
        ("log", "in"),
        ("read", "more"),
        ("share", "this"),
        ("share", "on"),
        ("follow", "us"),
        ("cookie", "policy"),
        ("privacy", "policy"),
        ("terms", "of", "use"),
        ("post", "comment"),
        ("save", "my", "name"),
    }
)
BOILERPLATE_LINE_WORDS = words(
    """share tweet print email subscribe menu home search comments comment reply advertisement
    related login logout register facebook twitter whatsapp telegram linkedin copy link next
    previous back top"""
)
DATELINE_WORDS = words(
    "status updated published posted last on at gmt utc cet msk edt est bst am pm a m p"
)

# Counted nouns that do not end in "s".
IRREGULAR_PLURALS = words(
    """people police children men women staff personnel military cattle livestock crew infantry
    youth clergy"""
)
# Words ending in "s" that are not plural nouns.
NOT_PLURAL = words(
    """was has is does says goes lives seems means remains makes takes gets comes his its this
    thus us plus less unless across always perhaps whereas bus gas news series species"""
)
