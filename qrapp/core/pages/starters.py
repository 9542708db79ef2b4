"""Built-in page templates ("starters"): complete documents with realistic sample content,
each designed for a phone screen. A new page made from one gets a copy to edit.

    STARTERS            list[Starter] in the order the builder shows them
    starter("coupon")   the Starter, or KeyError
    s.document()        a fresh raw document (validated; block ids are readable names)

Long because it is data: seven complete sample documents.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qrapp.core.pages.document import parse_document

Raw = dict[str, Any]


@dataclass(frozen=True)
class Starter:
    key: str
    name: str
    description: str
    build: Callable[[], Raw]

    def document(self) -> Raw:
        return parse_document(self.build()).model_dump(mode="json")


def _b(block_id: str, type_key: str, **props: Any) -> Raw:
    return {"id": block_id, "type": type_key, "props": props}


def _page(title: str, description: str, theme: Raw, *blocks: Raw) -> Raw:
    return {
        "settings": {"title": title, "theme": theme, "seo": {"description": description}},
        "blocks": list(blocks),
    }


def _link_in_bio() -> Raw:
    return _page(
        "Maya Lindqvist Ceramics",
        "Handmade stoneware from a small studio in Gothenburg: shop, workshops and news.",
        {
            "background": "#f6efe7",
            "text": "#2b2118",
            "accent": "#a2461f",
            "font": "humanist",
            "button_style": "pill",
        },
        _b("name", "heading", text="Maya Lindqvist", level=1),
        _b(
            "bio",
            "rich_text",
            align="center",
            html=(
                "<p>Ceramicist in Gothenburg. Wheel-thrown stoneware for everyday tables, "
                "fired in small batches.</p>"
            ),
        ),
        _b(
            "social",
            "social_icons",
            items=[
                {"id": "ig", "network": "instagram", "handle": "maya.makes.pots"},
                {"id": "tt", "network": "tiktok", "handle": "mayalindqvist"},
                {"id": "yt", "network": "youtube", "handle": "mayalindqvist"},
                {"id": "mail", "network": "email", "handle": "hello@mayalindqvist.se"},
            ],
        ),
        _b(
            "links",
            "link_list",
            items=[
                {
                    "id": "shop",
                    "label": "Shop the autumn collection",
                    "url": "https://mayalindqvist.se/shop",
                },
                {
                    "id": "classes",
                    "label": "Beginner wheel classes: book a seat",
                    "url": "https://mayalindqvist.se/workshops",
                },
                {
                    "id": "studio",
                    "label": "Visit the studio (Saturdays)",
                    "url": "https://mayalindqvist.se/studio",
                },
                {
                    "id": "news",
                    "label": "Monthly kiln notes newsletter",
                    "url": "https://mayalindqvist.se/newsletter",
                },
                {
                    "id": "wholesale",
                    "label": "Wholesale and restaurants",
                    "url": "mailto:orders@mayalindqvist.se",
                },
            ],
        ),
        _b("end", "spacer", size="small"),
        _b(
            "note",
            "rich_text",
            align="center",
            html=("<p><em>New pieces every first Friday of the month.</em></p>"),
        ),
    )


def _dish(item_id: str, name: str, price: int, about: str, *tags: str) -> Raw:
    return {"id": item_id, "name": name, "price": price, "description": about, "tags": list(tags)}


def _restaurant_menu() -> Raw:
    return _page(
        "Trattoria Lucia: menu",
        "Fresh pasta, wood-fired antipasti and Sicilian desserts in the heart of Malmö.",
        {
            "background": "#1c1915",
            "text": "#f3ece2",
            "accent": "#e3a857",
            "font": "serif",
            "button_style": "rounded",
        },
        _b("name", "heading", text="Trattoria Lucia", level=1),
        _b(
            "intro",
            "rich_text",
            align="center",
            html=("<p>Fresh pasta rolled every morning. Ask us about today's specials.</p>"),
        ),
        _b(
            "menu",
            "menu",
            currency="EUR",
            sections=[
                {
                    "id": "start",
                    "title": "Antipasti",
                    "items": [
                        _dish(
                            "burrata",
                            "Burrata",
                            1200,
                            "Pugliese burrata, roasted tomatoes, basil oil",
                            "vegetarian",
                        ),
                        _dish(
                            "arancini",
                            "Arancini",
                            900,
                            "Saffron risotto, mozzarella, pea purée",
                            "vegetarian",
                        ),
                        _dish(
                            "carpaccio",
                            "Carpaccio",
                            1400,
                            "Beef, rocket, parmigiano, lemon",
                            "gluten_free",
                        ),
                    ],
                },
                {
                    "id": "pasta",
                    "title": "Pasta",
                    "items": [
                        _dish(
                            "cacio",
                            "Cacio e pepe",
                            1600,
                            "Tonnarelli, pecorino romano, black pepper",
                            "vegetarian",
                        ),
                        _dish(
                            "ragu",
                            "Ragù della nonna",
                            1800,
                            "Pappardelle, slow-cooked beef and pork ragù",
                        ),
                        _dish(
                            "vongole",
                            "Linguine alle vongole",
                            2200,
                            "Clams, garlic, chilli, white wine",
                            "spicy",
                        ),
                        _dish(
                            "gnocchi",
                            "Gnocchi al pesto",
                            1700,
                            "Potato gnocchi, Genovese pesto, green beans",
                            "vegetarian",
                        ),
                    ],
                },
                {
                    "id": "dolci",
                    "title": "Dolci",
                    "items": [
                        _dish(
                            "tiramisu",
                            "Tiramisù",
                            800,
                            "Mascarpone, espresso, savoiardi",
                            "vegetarian",
                        ),
                        _dish(
                            "cannoli",
                            "Cannoli siciliani",
                            700,
                            "Ricotta, pistachio, candied orange",
                            "vegetarian",
                        ),
                    ],
                },
            ],
            note="Gluten-free pasta on request. Tell us about allergies when you order.",
        ),
        _b("book", "button", label="Book a table", url="tel:+4640123456"),
        _b(
            "hours",
            "opening_hours",
            days=[
                {"day": "mon", "ranges": []},
                {"day": "tue", "ranges": [{"opens": "17:00", "closes": "22:00"}]},
                {"day": "wed", "ranges": [{"opens": "17:00", "closes": "22:00"}]},
                {"day": "thu", "ranges": [{"opens": "17:00", "closes": "22:00"}]},
                {
                    "day": "fri",
                    "ranges": [
                        {"opens": "12:00", "closes": "14:30"},
                        {"opens": "17:00", "closes": "23:00"},
                    ],
                },
                {"day": "sat", "ranges": [{"opens": "12:00", "closes": "23:00"}]},
                {"day": "sun", "ranges": [{"opens": "12:00", "closes": "21:00"}]},
            ],
            note="Kitchen closes 30 minutes before closing time.",
        ),
        _b("where", "map", label="Trattoria Lucia", address="Lilla Torg 9, 211 34 Malmö"),
        _b(
            "social",
            "social_icons",
            items=[
                {"id": "ig", "network": "instagram", "handle": "trattorialucia"},
                {"id": "fb", "network": "facebook", "handle": "trattorialucia"},
            ],
        ),
    )


def _business_card() -> Raw:
    return _page(
        "Jonas Berg, Nordlys Arkitekter",
        "Contact details for Jonas Berg, architect and partner at Nordlys Arkitekter.",
        {
            "background": "#f4f6f8",
            "text": "#17202a",
            "accent": "#1f5f8b",
            "font": "system",
            "button_style": "rounded",
        },
        _b(
            "card",
            "contact",
            name="Jonas Berg",
            title="Architect SAR/MSA, Partner",
            org="Nordlys Arkitekter",
            phone="+46 8 123 456 78",
            email="jonas@nordlys.se",
            website="https://nordlys.se",
            address="Hornsgatan 12, 118 20 Stockholm",
        ),
        _b(
            "about",
            "rich_text",
            align="center",
            html=(
                "<p>Housing, schools and timber buildings with a low carbon footprint. "
                "Happy to talk about your project.</p>"
            ),
        ),
        _b(
            "meet",
            "button",
            label="Book a 30-minute call",
            url="https://nordlys.se/meet/jonas",
            style="outline",
        ),
        _b(
            "social",
            "social_icons",
            items=[
                {"id": "li", "network": "linkedin", "handle": "jonasberg"},
                {"id": "ig", "network": "instagram", "handle": "nordlys.arkitekter"},
                {"id": "web", "network": "website", "url": "https://nordlys.se"},
            ],
        ),
    )


def _event() -> Raw:
    return _page(
        "Open Air Jazz Night 2027",
        "A summer evening of live jazz by the water. Doors 18:00, music from 19:00.",
        {
            "background": "#0f1b2d",
            "text": "#f2f5fa",
            "accent": "#f2b134",
            "font": "system",
            "button_style": "pill",
        },
        _b("title", "heading", text="Open Air Jazz Night", level=1),
        _b(
            "lede",
            "rich_text",
            align="center",
            html=("<p>Three bands, one long summer evening by the water. Bring a blanket.</p>"),
        ),
        _b(
            "when",
            "event",
            title="Open Air Jazz Night",
            start="2027-06-19T18:00",
            end="2027-06-19T23:00",
            timezone="Europe/Stockholm",
            place="Slottsparken, Malmö",
            description="Doors 18:00. Food trucks and bar on site. Free for children under 12.",
        ),
        _b(
            "tickets",
            "button",
            label="Get tickets: from €25",
            url="https://tickets.example.com/jazz-night",
        ),
        _b("h_lineup", "heading", text="Line-up", level=2),
        _b(
            "lineup",
            "rich_text",
            html=(
                "<ul><li><strong>19:00</strong> The Harbour Trio</li>"
                "<li><strong>20:30</strong> Ella Nyström Quartet</li>"
                "<li><strong>22:00</strong> Malmö Big Band</li></ul>"
            ),
        ),
        _b("where", "map", label="Slottsparken", address="Slottsparken, 211 20 Malmö"),
        _b(
            "social",
            "social_icons",
            items=[
                {"id": "ig", "network": "instagram", "handle": "openairjazz"},
                {"id": "fb", "network": "facebook", "handle": "openairjazz"},
            ],
        ),
    )


def _product() -> Raw:
    return _page(
        "Aurora ANC headphones",
        "Wireless noise-cancelling headphones with 40 hours of battery.",
        {
            "background": "#ffffff",
            "text": "#14171a",
            "accent": "#0f766e",
            "font": "system",
            "button_style": "rounded",
        },
        _b(
            "photo",
            "image",
            src="https://images.unsplash.com/photo-1505740420928-5e560c06d30e?w=900&q=80",
            alt="Aurora headphones in matte black on a yellow background",
            shape="rounded",
        ),
        _b(
            "product",
            "product",
            name="Aurora ANC headphones",
            description="Free shipping and 30-day returns.",
            price=19900,
            currency="EUR",
            button_label="Buy now",
            buy_url="https://shop.example.com/aurora",
        ),
        _b(
            "features",
            "rich_text",
            html=(
                "<ul><li>Adaptive noise cancelling</li><li>40 hours of battery, 5 minutes of "
                "charging for 4 hours of music</li><li>Multipoint Bluetooth 5.3</li>"
                "<li>Folds flat into the included case</li></ul>"
            ),
        ),
        _b(
            "video",
            "video",
            url="https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            title="See Aurora in 60 seconds",
        ),
        _b(
            "compare",
            "button",
            label="Compare models",
            url="https://shop.example.com/compare",
            style="outline",
        ),
        _b(
            "help",
            "rich_text",
            align="center",
            html=(
                '<p>Questions? <a href="mailto:support@shop.example.com">Write to our support '
                "team</a>.</p>"
            ),
        ),
    )


def _coupon() -> Raw:
    return _page(
        "20% off at Bakery Solsidan",
        "Show this coupon at the counter for 20% off your order. Valid until 30 April 2027.",
        {
            "background": "#fff4e6",
            "text": "#3b1f0e",
            "accent": "#b8420b",
            "font": "rounded",
            "button_style": "pill",
        },
        _b("shop", "heading", text="Bakery Solsidan", level=1),
        _b(
            "how",
            "rich_text",
            align="center",
            html=("<p>Show this page at the counter, or use the code online.</p>"),
        ),
        _b(
            "coupon",
            "coupon",
            title="20% off your next visit",
            code="SPRING20",
            expires="2027-04-30",
            terms="One coupon per visit. Not valid on celebration cakes.",
        ),
        _b("cut", "divider", style="dots"),
        _b("order", "button", label="Order online", url="https://solsidan.example.com/order"),
        _b(
            "hours",
            "opening_hours",
            title="Bakery hours",
            days=[
                {"day": "mon", "ranges": [{"opens": "07:00", "closes": "18:00"}]},
                {"day": "tue", "ranges": [{"opens": "07:00", "closes": "18:00"}]},
                {"day": "wed", "ranges": [{"opens": "07:00", "closes": "18:00"}]},
                {"day": "thu", "ranges": [{"opens": "07:00", "closes": "18:00"}]},
                {"day": "fri", "ranges": [{"opens": "07:00", "closes": "18:00"}]},
                {"day": "sat", "ranges": [{"opens": "08:00", "closes": "16:00"}]},
                {"day": "sun", "ranges": []},
            ],
        ),
        _b("where", "map", label="Bakery Solsidan", address="Södra Förstadsgatan 40, Malmö"),
    )


def _app_download() -> Raw:
    return _page(
        "Pocket Budget: get the app",
        "Pocket Budget: see where your money goes. Free on iPhone and Android.",
        {
            "background": "#f4f1ff",
            "text": "#1e1b4b",
            "accent": "#5140d0",
            "font": "system",
            "button_style": "rounded",
        },
        _b("name", "heading", text="Pocket Budget", level=1),
        _b(
            "tagline",
            "rich_text",
            align="center",
            html=("<p>See where your money goes, set goals that stick, and never miss a bill.</p>"),
        ),
        _b(
            "get",
            "app_store",
            label="Get the app, free",
            app_store_url="https://apps.apple.com/app/pocket-budget/id1234567890",
            google_play_url="https://play.google.com/store/apps/details?id=com.example.pocketbudget",
            other_url="https://pocketbudget.example.com",
        ),
        _b("h_why", "heading", text="Why people switch", level=2),
        _b(
            "why",
            "rich_text",
            html=(
                "<ul><li><strong>Automatic categories</strong> for every card payment</li>"
                "<li><strong>Shared budgets</strong> with a partner or flatmates</li>"
                "<li><strong>Bill reminders</strong> two days before they are due</li>"
                "<li><strong>No ads</strong>, and your data stays yours</li></ul>"
            ),
        ),
        _b(
            "more",
            "link_list",
            items=[
                {
                    "id": "help",
                    "label": "Help centre",
                    "url": "https://pocketbudget.example.com/help",
                },
                {
                    "id": "privacy",
                    "label": "Privacy policy",
                    "url": "https://pocketbudget.example.com/privacy",
                },
            ],
        ),
        _b(
            "social",
            "social_icons",
            items=[
                {"id": "x", "network": "x", "handle": "pocketbudget"},
                {"id": "ig", "network": "instagram", "handle": "pocketbudget"},
            ],
        ),
    )


STARTERS: list[Starter] = [
    Starter("link_in_bio", "Link in bio", "Your profiles and links on one page.", _link_in_bio),
    Starter(
        "restaurant_menu",
        "Restaurant menu",
        "Dishes and prices, hours and the way there.",
        _restaurant_menu,
    ),
    Starter(
        "business_card",
        "Business card",
        "Contact details with a Save contact button.",
        _business_card,
    ),
    Starter("event", "Event", "Date, place, tickets and Add to calendar.", _event),
    Starter("product", "Product", "A product photo, price, features and a Buy button.", _product),
    Starter("coupon", "Coupon", "A discount code to show at the counter.", _coupon),
    Starter(
        "app_download",
        "App download",
        "App Store and Google Play, chosen by the phone.",
        _app_download,
    ),
]
_BY_KEY = {s.key: s for s in STARTERS}


def starter(key: str) -> Starter:
    return _BY_KEY[key]
