"""The pages of the sample site and the defects planted in them.

Each page is the content of its ``<main>`` element; ``sample/build_site.py`` wraps it in the
shared layout. Defects are declared right next to the page they are planted in, so the answer
key (``sample/truth.json``) and the pages cannot drift apart.

Links are written with two marker origins, swapped for real ones by the sample servers:
``https://site.example`` (this site) and ``https://external.example`` (the fake external web).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

EXT = "https://external.example"
SITE = "https://site.example"


@dataclass(slots=True)
class SitePage:
    path: str
    title: str
    description: str
    body: str
    encoding: str = "utf-8"
    lastmod: str = "2026-10-01"


PAGES: list[SitePage] = []
DEFECTS: list[dict[str, Any]] = []
MUST_NOT_FLAG: list[dict[str, Any]] = []
CLEAN_PAGES: list[str] = []
SKIPPED_HOSTS = ["www.nhs.uk", "111.nhs.uk"]
NOT_CRAWLED = ["/private/staff.html"]
ORPHANS = ["/services/msk/back-problems/coccyx-pain.html"]
SITEMAP_EXCLUDE = {
    "/private/staff.html",
    "/services/old-clinic-times.html",
}


def page(
    path: str,
    title: str,
    body: str,
    description: str = "",
    clean: bool = False,
    encoding: str = "utf-8",
    lastmod: str = "2026-10-01",
) -> str:
    PAGES.append(
        SitePage(path, title, description or title, body, encoding=encoding, lastmod=lastmod)
    )
    if clean:
        CLEAN_PAGES.append(path)
    return path


def defect(
    rule: str,
    page_path: str,
    text: str | None = None,
    target: str | None = None,
    note: str = "",
    **extra: Any,
) -> None:
    DEFECTS.append(
        {"rule": rule, "page": page_path, "text": text, "target": target, "note": note, **extra}
    )


def fine(
    rule: str,
    page_path: str,
    text: str | None = None,
    target: str | None = None,
    note: str = "",
) -> None:
    MUST_NOT_FLAG.append(
        {"rule": rule, "page": page_path, "text": text, "target": target, "note": note}
    )


def review(last: str, nxt: str | None = None) -> str:
    """The usual NHS review footer."""
    lines = [f"<p>Page last reviewed: {last}</p>"]
    if nxt:
        lines.append(f"<p>Next review due: {nxt}</p>")
    return '<div class="page-review">\n' + "\n".join(lines) + "\n</div>"


# =========================================================================================
# Home and corporate pages
# =========================================================================================
HOME = page(
    "/index.html",
    "Home - Northdale Community Health NHS Trust",
    """
<h1>Northdale Community Health NHS Trust</h1>
<p class="lead">We provide community health services for people of all ages across Northdale.</p>
<img src="/images/health-centre.svg" alt="The front of Northdale Health Centre on Market Street" width="400" height="250">
<h2>Find a service</h2>
<ul>
  <li><a href="/services/physiotherapy/index.html">Physiotherapy</a></li>
  <li><a href="/services/msk/index.html">Muscles, bones and joints (MSK)</a></li>
  <li><a href="/services/podiatry/index.html">Podiatry (foot care)</a></li>
  <li><a href="/services/childrens-services/index.html">Children's services</a></li>
  <li><a href="/services/district-nursing/index.html">District nursing</a></li>
  <li><a href="/services/sexual-health/index.html">Sexual health</a></li>
</ul>
<p><a href="/services/index.html?utm_source=homepage&amp;utm_medium=banner&amp;utm_campaign=winter">See all our services</a></p>
<h2>Urgent help</h2>
<p>If you need help now, call NHS 111. In an emergency, call 999 or go to A&amp;E.</p>
<h2>Latest news</h2>
<ul>
  <li><a href="/news/2026-10-flu-vaccines.html">Flu vaccines for housebound patients</a></li>
  <li><a href="/news/2026-09-new-health-centre.html">Our new health centre opens in spring</a></li>
  <li><a href="/news/2026-07-volunteers.html?utm_source=homepage&amp;utm_medium=news">Thank you to our volunteers</a></li>
</ul>
<p><a href="/events/calendar.html">See what is on this month</a></p>
"""
    + review("2 October 2026", "2 October 2027"),
)
fine("typo", HOME, "A&E", note="standard NHS abbreviation")
fine("typo", HOME, "NHS 111", note="NHS phone service")
fine("spelling-american", HOME, "centre", note="British spelling")

ABOUT = page(
    "/about-us.html",
    "About us - Northdale Community Health NHS Trust",
    """
<h1>About us</h1>
<p>Northdale Community Health NHS Trust is an NHS organisation. We look after people in their homes, in clinics and in schools.</p>
<p>We employ around 2,400 staff. We work with GP practices, hospitals, councils and charities.</p>
<h2>Our plans</h2>
<p>We will utilise new technology in order to bring care closer to home.</p>
<p>Work on our digital plan will commence in January 2027.</p>
<p>Our new teams will facilitate quicker referrals between services.</p>
<p>Prior to any change, we will talk to patients and carers.</p>
<p>We are a learning organization and we welcome your ideas.</p>
<h2>Our board</h2>
<p>Our board meets in public every other month. You can <a href="https://external.example/temporary">read the latest board papers</a>.</p>
<h2>Follow us</h2>
<ul>
  <li><a href="https://external.example/linkedin">Northdale Community Health on LinkedIn</a></li>
  <li><a href="https://external.example/head-refused">Our annual report on the NHS publications website</a></li>
</ul>
<h2>For staff</h2>
<p>Staff can log in to the <a href="/private/staff.html">staff intranet</a>.</p>
"""
    + review("15 June 2026", "15 June 2027"),
)
defect("plain-english", ABOUT, "utilise", note="use 'use'")
defect("plain-english", ABOUT, "in order to", note="use 'to'")
defect("plain-english", ABOUT, "commence", note="use 'start'")
defect("plain-english", ABOUT, "facilitate", note="use 'help' or 'make easier'")
defect("plain-english", ABOUT, "Prior to", note="use 'before'")
defect("spelling-american", ABOUT, "organization", note="British spelling is organisation")
defect(
    "link-redirect",
    ABOUT,
    "read the latest board papers",
    f"{EXT}/temporary",
    "302 temporary redirect to /ok/temporary-home",
)
defect(
    "link-unverifiable",
    ABOUT,
    "Northdale Community Health on LinkedIn",
    f"{EXT}/linkedin",
    "status 999: the site refuses automated checks; must not be reported broken",
)
fine(
    "link-broken",
    ABOUT,
    "Our annual report on the NHS publications website",
    f"{EXT}/head-refused",
    "405 to HEAD but 200 to GET",
)
fine("typo", ABOUT, "organisation", note="British spelling")

CONTACT = page(
    "/contact-us.html",
    "Contact us - Northdale Community Health NHS Trust",
    """
<h1>Contact us</h1>
<p>Use the details on each service page to contact a team directly.</p>
<h2 id="switchboard">Main switchboard</h2>
<p><strong>Telephone:</strong> <a href="tel:+441138430000">0113 843 0000</a></p>
<p>The switchboard is open Monday to Friday, 9am - 5pm.</p>
<p>On Saturdays it closes at 12 noon.</p>
<h2 id="appointments">Appointments</h2>
<p>To change an appointment, email <a href="mailto:appointments@northdale-nhs">appointments@northdale-nhs</a>.</p>
<p>You cannot book online at the moment. Our <a href="/services/online-booking.html">online booking page</a> is being fixed.</p>
<p>For hospital transport, call 0300 4715 262.</p>
<h2 id="out-of-hours">Out of hours</h2>
<p><strong>Mob:</strong> 07771 900 456 (on-call manager, for professionals only)</p>
<p>For urgent medical help, call <a href="https://111.nhs.uk/">NHS 111</a>.</p>
<p>You can leave a message for PALS 24hrs a day.</p>
<h2 id="other-services">Other services</h2>
<ul>
  <li>Falls team: 0113 843 7070</li>
  <li>Free complaints line: 0800 47 47 47</li>
</ul>
<h2 id="post">Write to us</h2>
<address>Northdale Community Health NHS Trust<br>Trust Headquarters<br>1 Park Road<br>Northdale<br>LS2 7HQ</address>
<div class="contact-block">
  <h2 id="complaints">Comments and complaints</h2>
  <p>Our Patient Advice and Liaison Service (PALS) can help with comments or complaints.</p>
  <div class="contact-block nested">
    <h3>PALS</h3>
    <dl class="contact-details">
      <dt>Phone</dt><dd><a href="tel:+441138439100">0113 843 9100</a></dd>
      <dt>Email</dt><dd><a href="mailto:pals@northdale.nhs.uk">pals@northdale.nhs.uk</a></dd>
      <dt>Fax</dt><dd>0113 843 9101</dd>
      <dt>Opening times</dt><dd>Monday to Friday, 10am to 4pm</dd>
    </dl>
  </div>
</div>
<p>Read our <a href="https://external.example/rate-limited-once">guide to making a complaint in the NHS</a>.</p>
"""
    + review("1 September 2026", "1 September 2027"),
)
defect("nhs-style", CONTACT, "Telephone:", note="use 'Phone:'")
defect("nhs-style", CONTACT, "9am - 5pm", note="use '9am to 5pm'")
defect("nhs-style", CONTACT, "12 noon", note="use 'midday'")
defect("nhs-style", CONTACT, "Mob:", note="use 'Mobile:'")
defect("email-invalid", CONTACT, "appointments@northdale-nhs", note="no top-level domain")
defect("nhs-style", CONTACT, "0300 4715 262", note="group as 0300 471 5262")
defect("nhs-style", CONTACT, "24hrs", note="write '24 hours'")
defect(
    "phone-inconsistent",
    CONTACT,
    "0113 843 7070",
    note="the falls team is 0113 843 7700 on the memory clinic and district nursing pages: "
    "two neighbouring digits swapped, a likely typo",
)
fine("nhs-style", CONTACT, "0113 843 9100", note="grouped the NHS way")
fine("nhs-style", CONTACT, "0800 47 47 47", note="a memorable number, split in pairs on purpose")
fine("phone-invalid", CONTACT, "0800 47 47 47", note="a valid freephone number")
fine("phone-invalid", CONTACT, "0113 843 9101", note="a fax number: not checked as a phone")
fine(
    "phone-inconsistent",
    CONTACT,
    "0113 843 9101",
    note="PALS fax, one digit from the PALS phone: a fax is never a phone typo",
)
defect(
    "link-broken",
    CONTACT,
    "online booking page",
    "/services/online-booking.html",
    "internal link to a page that answers 500 (see the page-error defect)",
)
fine(
    "link-broken",
    CONTACT,
    "guide to making a complaint in the NHS",
    f"{EXT}/rate-limited-once",
    note="429 with Retry-After: 1 the first time, then 200",
)

ACCESSIBILITY = page(
    "/accessibility.html",
    "Accessibility statement - Northdale Community Health NHS Trust",
    """
<h1>Accessibility statement</h1>
<p>We want as many people as possible to be able to use this website.</p>
<h2 id="what-you-can-do">What you can do on this website</h2>
<p>You should be able to:</p>
<ul>
  <li>make the text bigger up to 300% without it spilling off the screen</li>
  <li>move around the website using just a keyboard</li>
  <li>use the website with voice control</li>
  <li>listen to most of the website using a screen reader</li>
</ul>
<p>We have tried to make the text on this website easy to understand.</p>
<h2 id="known-problems">Parts of this website that do not work well</h2>
<p>We know some parts of this website do not work well for everyone.</p>
<ul>
  <li>some older PDF leaflets do not work well with screen readers</li>
  <li>some videos do not have captions yet</li>
</ul>
<h2 id="other-formats">Ask for a page in another format</h2>
<p>You can ask for a leaflet in large print, easy read or another language. We can also give you an audio version.</p>
<p>Call the main switchboard on <a href="tel:+441138430000">0113 843 0000</a>. We will reply within 10 working days.</p>
<h2 id="report-a-problem">Tell us about a problem</h2>
<p>If you find a problem with this website, please tell us.</p>
<p>Email <a href="mailto:web.team@northdale.nhs.uk">web.team@northdale.nhs.uk</a>.</p>
<p>Not happy with our reply? Contact the <a href="https://external.example/ok/equality-advisory-service">Equality Advisory and Support Service</a>.</p>
<h2 id="testing">How we tested this website</h2>
<p>We last tested this website in July 2026. Real people helped us test it.</p>
<p>Read our <a href="https://site.example/privacy.html">privacy notice</a> to find out how we use your data.</p>
"""
    + review("20 July 2026", "20 July 2027"),
    clean=True,
)

PRIVACY = page(
    "/privacy.html",
    "Privacy and cookies - Northdale Community Health NHS Trust",
    """
<h1>Privacy and cookies</h1>
<p>This page tells you how we use your information. It covers our services and this website.</p>
<h2 id="your-records">Your health records</h2>
<p>We keep a record of the care we give you. Only the staff who care for you can see it.</p>
<p>We may share your record with your GP or a hospital. We only do this if they care for you too.</p>
<p>We keep your record safe. We follow the law on keeping data safe.</p>
<h2 id="your-rights">Your rights</h2>
<p>You can:</p>
<ul>
  <li>ask for a copy of your record</li>
  <li>ask us to correct something that is wrong</li>
  <li>say no to us using your data for research</li>
</ul>
<p>To ask for a copy of your record, email <a href="mailto:records@northdale.nhs.uk">records@northdale.nhs.uk</a>.</p>
<h2 id="cookies">Cookies</h2>
<p>Cookies are small files saved on your phone, tablet or computer.</p>
<p>We use essential cookies to make this website work. You cannot turn these off.</p>
<p>We only use analytics cookies if you say yes. They tell us which pages people visit.</p>
<p>You can change your mind at any time. Just clear the cookies in your web browser.</p>
<h2 id="contact-dpo">Contact our data protection officer</h2>
<p>Write to: Data Protection Officer, Trust Headquarters, 1 Park Road, Northdale, LS2 7HQ.</p>
<p>You can also read more about your data on the <a href="https://external.example/ok/information-commissioner">Information Commissioner's Office website</a>.</p>
"""
    + review("3 March 2026", "3 March 2027"),
    clean=True,
)

# =========================================================================================
# Services A to Z
# =========================================================================================
AZ = page(
    "/services/index.html",
    "Services A to Z - Northdale Community Health NHS Trust",
    """
<h1>Services A to Z</h1>
<p>Find a service by its name. Most services take referrals from your GP.</p>
<h2 id="a">A</h2>
<ul>
  <li><a href="/services/audiology.html">Audiology (hearing tests)</a></li>
</ul>
<h2 id="c">C</h2>
<ul>
  <li><a href="/services/childrens-services/index.html">Children's services</a></li>
  <li><a href="/services/community-dental.html">Community dental service</a></li>
  <li><a href="/services/continence.html">Continence service</a></li>
</ul>
<h2 id="d">D</h2>
<ul>
  <li><a href="/services/diabetes/index.html">Diabetes</a></li>
  <li><a href="/services/dietetics.html">Dietetics (nutrition and diet)</a></li>
  <li><a href="/services/district-nursing/index.html">District nursing</a></li>
</ul>
<h2 id="f">F</h2>
<ul>
  <li><a href="/services/falls-prevention.html">Falls prevention</a></li>
  <li><a href="/services/foot-health.html">Foot health</a></li>
</ul>
<h2 id="h">H</h2>
<ul>
  <li><a href="/services/hand-therapy.html">Hand therapy</a></li>
  <li><a href="/services/hearing/index.html">Hearing and audiology</a></li>
  <li><a href="/services/hearing-aid-repairs.html">Hearing aid repairs</a></li>
</ul>
<h2 id="m">M</h2>
<ul>
  <li><a href="/services/memory-clinic.html">Memory clinic</a></li>
  <li><a href="/services/childrens-services/mindmate.html">MindMate (young people's mental health)</a></li>
  <li><a href="/services/msk/index.html">Muscles, bones and joints (MSK)</a></li>
</ul>
<h2 id="o">O</h2>
<ul>
  <li><a href="/services/orthotics.html">Orthotics (insoles and braces)</a></li>
</ul>
<h2 id="p">P</h2>
<ul>
  <li><a href="/services/physiotherapy/index.html">Physiotherapy</a></li>
  <li><a href="/services/podiatry/index.html">Podiatry</a></li>
</ul>
<h2 id="r">R</h2>
<ul>
  <li><a href="/services/respiratory.html">Respiratory service</a></li>
</ul>
<h2 id="s">S</h2>
<ul>
  <li><a href="/services/sexual-health/index.html">Sexual health</a></li>
  <li><a href="/services/childrens-services/speech-and-language-therapy.html">Speech and language therapy</a></li>
  <li><a href="/services/stop-smoking.html">Stop smoking service</a></li>
</ul>
<h2 id="w">W</h2>
<ul>
  <li><a href="/services/wheelchair-service.html">Wheelchair service</a></li>
</ul>
"""
    + review("1 October 2026", "1 October 2027"),
)
defect(
    "link-broken",
    AZ,
    "Hearing and audiology",
    "/services/hearing/index.html",
    "internal link to a missing page (404)",
)
fine("typo", AZ, "MindMate", note="service name")

# ---------------------------------------------------------------------------------------
# Muscles, bones and joints
# ---------------------------------------------------------------------------------------
MSK = page(
    "/services/msk/index.html",
    "Muscles, bones and joints (MSK) - Northdale Community Health NHS Trust",
    """
<h1>Muscles, bones and joints (MSK)</h1>
<p>Our MSK team helps adults with problems in their muscles, bones and joints.</p>
<p>We see people with back pain, neck pain, sore knees and stiff shoulders.</p>
<img src="/images/divider.svg" alt="" width="600" height="8">
<h2 id="what-we-do">What we do</h2>
<p>We will check your problem and talk about what you can do. We may:</p>
<ul>
  <li>give you advice and exercises to do at home</li>
  <li>refer you to <a href="/services/physiotherapy/index.html">physiotherapy</a></li>
  <li>send you for a scan or to a specialist</li>
</ul>
<h2 id="conditions">Conditions we treat</h2>
<ul>
  <li><a href="/services/msk/back-problems/index.html">Back problems</a></li>
  <li><a href="/services/msk/back-problems/neck-pain.html">Neck pain</a></li>
  <li><a href="/services/msk/hand-therapy.html">Hand and wrist problems</a></li>
</ul>
<h2 id="referral">How to get an appointment</h2>
<p>Your GP can refer you. You can also refer yourself if you are 16 or over.</p>
<p>We see most people within 6 weeks. We will see you sooner if your problem is urgent.</p>
<p>Please tell us if you need an interpreter or help to get to your visit.</p>
<div class="contact-block">
  <h2 id="contact">Contact the MSK team</h2>
  <p><strong>Phone:</strong> <a href="tel:+441138431500">0113 843 1500</a></p>
  <p><strong>Email:</strong> <a href="mailto:msk@northdale.nhs.uk">msk@northdale.nhs.uk</a></p>
  <p><strong>Opening times:</strong> Monday to Friday, 8am to 6pm</p>
  <address>MSK Service, Northdale Health Centre, 12 Market Street, Northdale, LS1 4AP</address>
</div>
"""
    + review("6 August 2025", "6 August 2028"),
    clean=True,
)
fine("image-alt-missing", MSK, "divider.svg", "/images/divider.svg", 'decorative image with alt=""')

BACK = page(
    "/services/msk/back-problems/index.html",
    "Back problems - Northdale Community Health NHS Trust",
    """
<h1>Back problems</h1>
<p>Back pain is very common. It usually gets better on its own within a few weeks.</p>
<h2 id="types">Types of back problem</h2>
<ul>
  <li><a href="lower-back-pain.html">Lower back pain</a></li>
  <li><a href="sciatica.html">Sciatica</a></li>
  <li><a href="spinal-fractures.html">Spinal fractures</a></li>
  <li><a href="neck-pain.html">Neck pain</a></li>
</ul>
<h2 id="exercises">Exercises</h2>
<p>Keep moving. Gentle exercise helps your back get better.</p>
<p>Our leaflet shows some simple exercises. To download it, <a href="/documents/back-pain-exercises.pdf">click here</a>.</p>
<p>Our MSK team explains which <a href="/services/msk/index.html#exercises-to-avoid">exercises to avoid</a> when your back is sore.</p>
<h2 id="self-referral">Refer yourself</h2>
<p>You can refer yourself to physiotherapy. Fill in our <a href="/documents/physiotherapy-self-referral-form.docx">physiotherapy self-referral form (Word document)</a>.</p>
<p>You can also read about our <a href="/old-services/physio.html">physiotherapy service</a>.</p>
<h2 id="urgent">Get help urgently</h2>
<p>Call 999 or go to A&amp;E if you have back pain and cannot control when you pee or poo.</p>
"""
    + review("6 August 2025", "6 August 2028"),
)
defect(
    "link-text-unhelpful",
    BACK,
    "click here",
    "/documents/back-pain-exercises.pdf",
    "link text does not say where it goes",
)
defect(
    "link-fragment-missing",
    BACK,
    "exercises to avoid",
    "/services/msk/index.html#exercises-to-avoid",
    "/services/msk/index.html has no element with id exercises-to-avoid",
)
defect(
    "link-redirect",
    BACK,
    "physiotherapy service",
    "/old-services/physio.html",
    "internal permanent redirect (301) to /services/physiotherapy/index.html",
)

SCIATICA = page(
    "/services/msk/back-problems/sciatica.html",
    "Sciatica - Northdale Community Health NHS Trust",
    """
<h1>Sciatica</h1>
<p>Sciatica is pain that goes down your leg from your lower back. It happens when a nerve is pressed or irritated.</p>
<p>Most people feel better in 4 to 6 weeks.</p>
<h2 id="symptoms">Symptoms</h2>
<ul>
  <li>pain that goes from your bottom down the back of your leg</li>
  <li>numbness or pins and needles in your leg or foot</li>
  <li>weakness in your leg</li>
</ul>
<h2 id="things-you-can-do">Things you can do</h2>
<ul>
  <li>keep moving and do your normal activities as much as you can</li>
  <li>use a hot pack or a cold pack on the painful area</li>
  <li>take painkillers such as ibuprofen or naproxen</li>
</ul>
<p>If these do not help, your GP may give you co-codamol for a short time.</p>
<h2 id="physiotherapy">Physiotherapy</h2>
<p>You may recieve a referral to physiotherapy. A physiotherapist will show you exercises.</p>
<p>See the <a href="https://external.example/ok/guide#missing-part">exercise guide from the Back Care Society</a>.</p>
<p>Watch our <a href="https://external.example/youtube/watch?v=REMOVED123">sciatica exercises video</a>.</p>
<p>You can also read about sciatica on the <a href="https://www.nhs.uk/conditions/sciatica/">NHS website</a>.</p>
<p>The <a href="https://external.example/bot-wall">Spine Health Forum</a> has stories from other patients.</p>
<h2 id="urgent">Get help now</h2>
<p>Call NHS 111 if the pain is getting worse or you cannot cope.</p>
<p>Go to A&amp;E if you have sciatica on both sides, or numbness around your bottom.</p>
"""
    + review("12 May 2025", "12 May 2028"),
)
defect("typo", SCIATICA, "recieve", note="misspelling of receive")
defect(
    "link-fragment-missing",
    SCIATICA,
    "exercise guide from the Back Care Society",
    f"{EXT}/ok/guide#missing-part",
    "the external page has ids part-1..part-3 but no missing-part",
)
defect(
    "link-soft-404",
    SCIATICA,
    "sciatica exercises video",
    f"{EXT}/youtube/watch?v=REMOVED123",
    "watch page answers 200 but the oEmbed endpoint says the video is gone (404)",
)
defect(
    "link-unverifiable",
    SCIATICA,
    "Spine Health Forum",
    f"{EXT}/bot-wall",
    "403 with cf-mitigated: challenge to non-browser agents; must not be reported broken",
)
fine(
    "link-broken",
    SCIATICA,
    "NHS website",
    "https://www.nhs.uk/conditions/sciatica/",
    "skipped-host: www.nhs.uk is skipped by the demo config (no internet)",
)
for word in ("sciatica", "ibuprofen", "naproxen", "co-codamol", "GP", "NHS 111", "A&E"):
    fine("typo", SCIATICA, word, note="correct medical or NHS word")

SPINAL_BODY = """
<h1>Spinal fractures</h1>
<h2 id="overview">Overview</h2>
<p>Osteoporotic vertebral compression fractures, which frequently present with acute spinal pain following minimal trauma, are considerably unrecognised in community settings because radiological assessment is commonly deferred and the symptoms are attributed to degenerative joint conditions.</p>
<p>Comprehensive management necessitates individual adjustment of analgesic medication, progressive mobilisation, pharmacological intervention targeting bone mineral density, and systematic evaluation of falls risk, because subsequent vertebral fractures substantially increase disability and mortality among elderly individuals.</p>
<h2 id="assessment">Assessment</h2>
<p>Clinicians should consider investigation with plain radiography or magnetic resonance imaging whenever patients over sixty-five demonstrate sudden localised spinal tenderness, progressive spinal curvature or unexplained height reduction, particularly where corticosteroid exposure, previous fragility fracture or significant additional illness is documented.</p>
<p>Orthopaedic consultation is indicated when neurological deficit, radiological evidence of posterior involvement, or intractable pain despite appropriate conservative management suggests potential instability requiring operative stabilisation under general anaesthetic in a regional specialist unit.</p>
<h2 id="management">Management</h2>
<p>Conservative rehabilitation emphasising graduated physiotherapy, postural education and supervised therapeutic exercise should ordinarily be initiated immediately following diagnosis, since prolonged immobilisation accelerates muscle weakness, exacerbates bone loss and predisposes individuals to venous thrombosis and respiratory infection.</p>
<p>Oral bone-strengthening medication remains the predominant pharmacological intervention, although alternative injectable treatments may be considered following specialist recommendation when gastrointestinal intolerance, particularly oesophagus irritation, kidney impairment or inadequate therapeutic response precludes continued oral administration.</p>
<h2 id="contact">Contact</h2>
<p>Ask your GP to refer you to the MSK team on <a href="tel:+441138431500">0113 843 1500</a>.</p>
"""
SPINAL = page(
    "/services/msk/back-problems/spinal-fractures.html",
    "Spinal fractures - Northdale Community Health NHS Trust",
    SPINAL_BODY + review("12 May 2025", "12 May 2028"),
)
defect("readability-hard", SPINAL, note="dense clinical prose, reading age far above 11")
# The dense prose also uses words with plainer alternatives.
for _word, _plain in (
    ("additional", "extra"),
    ("demonstrate", "show"),
    ("individuals", "people"),
    ("initiated", "started"),
    ("necessitates", "needs"),
    ("requiring", "needing"),
):
    defect("plain-english", SPINAL, _word, note=f"use '{_plain}'")
for _para in re.findall(r"<p>([^<]+)</p>", SPINAL_BODY):
    if len(_para.split()) > 20:
        defect("sentence-long", SPINAL, _para, note=f"{len(_para.split())} words")
for word in ("Orthopaedic", "anaesthetic", "oesophagus"):
    fine("typo", SPINAL, word, note="British medical spelling")

LOWER_BACK = page(
    "/services/msk/back-problems/lower-back-pain.html",
    "Lower back pain - Northdale Community Health NHS Trust",
    """
<h1>Lower back pain</h1>
<p>Lower back pain is very common. It often starts after you lift, bend or twist.</p>
<p>It usually gets better on its own in a few weeks. It is rarely a sign of anything serious.</p>
<img src="/images/back-exercise.svg" alt="A woman lying on a mat doing a knee roll exercise" width="400" height="250">
<h2 id="things-to-try">Things to try</h2>
<ul>
  <li>stay as active as you can</li>
  <li>try gentle exercises, such as walking or swimming</li>
  <li>use a heat pack to ease the pain</li>
  <li>take painkillers if you need them</li>
</ul>
<p>Do not stay in bed for a long time. Resting too much can make the pain last longer.</p>
<h2 id="exercises">Exercises</h2>
<p>Our leaflet has three simple exercises to do at home.</p>
<p><a href="/documents/back-pain-exercises.pdf">Download our back pain exercises leaflet (PDF, 1 page)</a></p>
<p>Stop any exercise that makes the pain much worse.</p>
<h2 id="when-to-get-help">When to get help</h2>
<p>See a GP or refer yourself to our MSK team if:</p>
<ul>
  <li>the pain has not started to improve after 4 weeks</li>
  <li>the pain stops you doing your normal activities</li>
  <li>you are worried about the pain</li>
</ul>
<p>Call 999 if you cannot pee, or you have numbness around your bottom.</p>
<h2 id="contact">Contact us</h2>
<p>Call the <a href="/services/msk/index.html#contact">MSK team</a> on <a href="tel:+441138431500">0113 843 1500</a>.</p>
<p>The line is open Monday to Friday, 8am to 6pm.</p>
"""
    + review("6 August 2025", "6 August 2028"),
    clean=True,
)

NECK = page(
    "/services/msk/back-problems/neck-pain.html",
    "Neck pain - Northdale Community Health NHS Trust",
    """
<h1>Neck pain</h1>
<p>Neck pain is common. It often comes from sleeping in an odd position or sitting badly.</p>
<p>It should start to get better in 1 or 2 weeks.</p>
<img src="/images/neck-stretch.svg" alt="A man gently turning his head to stretch his neck" width="400" height="250">
<h2 id="ease-pain">How to ease neck pain</h2>
<ul>
  <li>keep your neck moving gently</li>
  <li>sleep on a low, firm pillow</li>
  <li>take breaks if you sit at a desk for a long time</li>
  <li>put a hot water bottle wrapped in a towel on your neck</li>
</ul>
<p>Painkillers can help for a short time. Ask a pharmacist which one is right for you.</p>
<h2 id="stretches">Simple stretches</h2>
<ol>
  <li>Sit up tall with your shoulders relaxed.</li>
  <li>Slowly turn your head to the left. Hold for 5 seconds.</li>
  <li>Slowly turn your head to the right. Hold for 5 seconds.</li>
  <li>Do this 5 times, 3 times a day.</li>
</ol>
<h2 id="get-help">When to get help</h2>
<p>Contact your GP or our MSK team if:</p>
<ul>
  <li>the pain is not better after 2 weeks</li>
  <li>you have pins and needles in your arms</li>
  <li>you feel unwell and have a high temperature</li>
</ul>
<p>Call 999 if you hurt your neck in a fall or an accident.</p>
<p>Read more <a href="/services/msk/back-problems/index.html">advice on back problems</a>.</p>
"""
    + review("14 January 2026", "14 January 2029"),
    clean=True,
)

COCCYX = page(
    "/services/msk/back-problems/coccyx-pain.html",
    "Tailbone (coccyx) pain - Northdale Community Health NHS Trust",
    """
<h1>Tailbone (coccyx) pain</h1>
<p>The coccyx is the small bone at the bottom of your spine. It is also called the tailbone.</p>
<p>Pain in your tailbone usually gets better on its own within a few weeks.</p>
<h2 id="causes">Common causes</h2>
<ul>
  <li>a fall onto your bottom</li>
  <li>sitting on a hard seat for a long time</li>
  <li>giving birth</li>
</ul>
<h2 id="self-care">Things you can do</h2>
<ul>
  <li>sit up straight and lean forward a little when you sit down</li>
  <li>sit on a soft cushion with a gap at the back</li>
  <li>stand up and walk around often</li>
  <li>use a cold pack wrapped in a towel</li>
</ul>
<p>Try not to sit for long periods. Do not do things that make the pain worse.</p>
<h2 id="get-help">When to see a GP</h2>
<p>See a GP if the pain has not got better after 2 weeks. See them sooner if the pain is very bad.</p>
<p>Your GP may refer you to our MSK team for physiotherapy.</p>
"""
    + review("10 April 2026", "10 April 2029"),
)
# Orphan: listed in the sitemap, linked from nowhere.

# ---------------------------------------------------------------------------------------
# Physiotherapy
# ---------------------------------------------------------------------------------------
PHYSIO = page(
    "/services/physiotherapy/index.html",
    "Physiotherapy - Northdale Community Health NHS Trust",
    """
<h1>Physiotherapy</h1>
<p>Physiotherapy helps you move better and feel less pain. We use exercise, advice and hands-on care.</p>
<img src="/images/physio-stretch.svg" alt="A physiotherapist helping a man stretch his leg" width="400" height="250">
<h2 id="who-we-help">Who we help</h2>
<p>We help adults with:</p>
<ul>
  <li>back and neck pain</li>
  <li>joint pain, such as knee or shoulder pain</li>
  <li>sprains and strains</li>
  <li>stiff joints after a fall or surgery</li>
</ul>
<h2 id="first-appointment">Your first appointment</h2>
<p>Your first visit will last about 45 minutes. It may be by phone, by video call or face to face.</p>
<p>We will ask about your problem and your health. We may look at how you move.</p>
<p>Wear loose clothes. You may need to show us the part that hurts.</p>
<p>Together we will agree a plan. This often has exercises for you to do at home.</p>
<h2 id="refer-yourself">Refer yourself</h2>
<p>You do not need to see a GP first. You can <a href="/services/physiotherapy/self-referral.html">refer yourself to physiotherapy</a>.</p>
<h2 id="contact">Contact physiotherapy</h2>
<dl class="contact-details">
  <dt>Phone</dt>
  <dd><a href="tel:+441138431909">0113 843 1909</a></dd>
  <dt>Email</dt>
  <dd><a href="mailto:physio@northdale.nhs.uk">physio@northdale.nhs.uk</a></dd>
  <dt>Opening times</dt>
  <dd>Monday to Friday, 8am to 6pm</dd>
  <dt>Address</dt>
  <dd><address>Physiotherapy Department<br>Northdale Health Centre<br>12 Market Street<br>Northdale<br>LS1 4AP</address></dd>
</dl>
"""
    + review("6 August 2025", "6 August 2028"),
    clean=True,
)
fine("typo", PHYSIO, "Physiotherapy", note="correct spelling")

SELF_REF = page(
    "/services/physiotherapy/self-referral.html",
    "Refer yourself to physiotherapy - Northdale Community Health NHS Trust",
    """
<h1>Refer yourself to physiotherapy</h1>
<p>If you are 16 or over and registered with a Northdale GP, you can refer yourself to physiotheraphy.</p>
<h2 id="how-to-refer">How to refer yourself</h2>
<ol>
  <li>Download the <a href="/documents/physiotherapy-self-referral-form.docx">self-referral form (Word document)</a>.</li>
  <li>Fill it in. Use a seperate form for each problem.</li>
  <li>Email it to <a href="mailto:physio@northdale.nhs.uk">physio@northdale.nhs.uk</a>.</li>
</ol>
<p>You will not be able to <a href="/services/online-booking.html">book online</a> until next year.</p>
<p>You can also phone us on <a href="tel:+441138431909">0113 843 1909</a>.</p>
<h2 id="what-happens-next">What happens next</h2>
<p>We will read your form within 5 working days. We will then phone you to talk about your problem.</p>
<p>If we think you need to be seen, we will offer you an appointment.</p>
<p>Go back to the <a href="https://site.example/services/physiotherapy/index.html">physiotherapy page</a>.</p>
"""
    + review("6 August 2025", "6 August 2028"),
)
defect("typo", SELF_REF, "physiotheraphy", note="misspelling of physiotherapy")
defect("typo", SELF_REF, "seperate", note="misspelling of separate")
defect(
    "link-broken",
    SELF_REF,
    "book online",
    "/services/online-booking.html",
    "internal link to a page that answers 500 (see the page-error defect)",
)
defect(
    "page-error",
    "/services/online-booking.html",
    note="the page answers 500; linked from /contact-us.html and "
    "/services/physiotherapy/self-referral.html",
    status=500,
)

# ---------------------------------------------------------------------------------------
# Podiatry and its near-duplicate
# ---------------------------------------------------------------------------------------
PODIATRY_TEXT = """
<h1>{heading}</h1>
<p>Our podiatrists look after people with foot problems that affect their health or mobility.</p>
<img src="/images/foot-care.svg" alt="A podiatrist checking a patient's foot" width="400" height="250">
<h2 id="who-can-use">Who can use this service</h2>
<p>We see adults who have:</p>
<ul>
  <li>diabetes and a foot problem</li>
  <li>poor blood flow to their feet</li>
  <li>foot ulcers or wounds that will not heal</li>
  <li>rheumatoid arthritis that affects their feet</li>
</ul>
<p>We do not offer routine nail cutting. A pharmacist or a private foot care service can help with this.</p>
<h2 id="appointments">Appointments</h2>
<p>Your GP or nurse can refer you. We will send you a letter with your appointment time.</p>
<p>Please bring a list of your medicines and wear shoes you can take off easily.</p>
<h2 id="contact">Contact podiatry</h2>
<table class="contact-table">
  <caption>Podiatry contact details</caption>
  <tr><th scope="row">Service</th><td>Podiatry</td></tr>
  <tr><th scope="row">Phone</th><td><a href="tel:{tel}">{phone}</a></td></tr>
  <tr><th scope="row">Opening times</th><td>Monday to Friday, 8am to 4pm</td></tr>
  <tr><th scope="row">Address</th><td>Podiatry Clinic, Northdale Health Centre, 12 Market Street, Northdale, LS1 4AP</td></tr>
</table>
"""
PODIATRY = page(
    "/services/podiatry/index.html",
    "Podiatry - Northdale Community Health NHS Trust",
    PODIATRY_TEXT.format(heading="Podiatry", tel="+441138432000", phone="0113 843 2000")
    + review("9 February 2026", "9 February 2029"),
)
FOOT = page(
    "/services/foot-health.html",
    "Foot health - Northdale Community Health NHS Trust",
    PODIATRY_TEXT.format(heading="Foot health", tel="+441138432001", phone="0113 843 2001")
    + review("9 February 2026", "9 February 2029"),
)
defect(
    "content-duplicate",
    FOOT,
    target=PODIATRY,
    note="main content nearly identical to /services/podiatry/index.html; "
    "either page of the pair may carry the finding",
    pair=[PODIATRY, FOOT],
)
defect(
    "phone-inconsistent",
    FOOT,
    "0113 843 2001",
    note="Podiatry shows 0113 843 2000 on /services/podiatry/index.html",
    other_page=PODIATRY,
    other_text="0113 843 2000",
)


# ---------------------------------------------------------------------------------------
# Hand therapy: the same page published twice (an old copy left behind after a move)
# ---------------------------------------------------------------------------------------
HAND_TEXT = """
<h1>{heading}</h1>
<p>Our hand therapists help adults with problems in their hands, wrists and fingers.</p>
<h2 id="what-we-treat">What we treat</h2>
<ul>
  <li>broken bones in the hand or wrist</li>
  <li>carpal tunnel syndrome</li>
  <li>trigger finger</li>
  <li>stiff or swollen fingers after an injury</li>
  <li>arthritis in the hand</li>
</ul>
<h2 id="what-happens">What happens at your appointment</h2>
<p>We will look at your hand and ask how it affects your day. We will test how well you can grip and move your fingers.</p>
<p>We may give you exercises, a splint or advice on how to protect your joints.</p>
<p>Most people need 2 to 6 visits.</p>
<h2 id="splints">Splints</h2>
<p>A splint supports your hand while it heals. We make some splints to fit you at the clinic.</p>
<p>Wear your splint as your therapist tells you. Bring it to each visit.</p>
<h2 id="referral">How to get help</h2>
<p>Your GP, a hospital doctor or a physiotherapist can refer you.</p>
<h2 id="contact">Contact hand therapy</h2>
<p><strong>Phone:</strong> <a href="tel:+441138431600">0113 843 1600</a></p>
<p><strong>Opening times:</strong> Monday to Friday, 8am to 4pm</p>
"""
HAND_MSK = page(
    "/services/msk/hand-therapy.html",
    "Hand therapy - Northdale Community Health NHS Trust",
    HAND_TEXT.format(heading="Hand therapy") + review("3 June 2026", "3 June 2029"),
)
HAND_OLD = page(
    "/services/hand-therapy.html",
    "Hand and wrist therapy - Northdale Community Health NHS Trust",
    HAND_TEXT.format(heading="Hand and wrist therapy") + review("3 June 2026", "3 June 2029"),
)
defect(
    "content-duplicate",
    HAND_OLD,
    target=HAND_MSK,
    note="an old copy left at the old address; either page of the pair may carry the finding",
    pair=[HAND_MSK, HAND_OLD],
)

# ---------------------------------------------------------------------------------------
# Children's services
# ---------------------------------------------------------------------------------------
CHILDREN = page(
    "/services/childrens-services/index.html",
    "Children's services - Northdale Community Health NHS Trust",
    """
<h1>Children's services</h1>
<p>Our paediatric teams care for babies, children and young people. We help children up to the age of 19.</p>
<img src="/images/child-playing.svg" alt="A young child playing with building blocks" width="400" height="250">
<h2 id="our-teams">Our teams</h2>
<ul>
  <li><a href="/services/childrens-services/health-visiting.html">Health visiting</a> for families with children under 5</li>
  <li><a href="/services/childrens-services/speech-and-language-therapy.html">Speech and language therapy</a></li>
  <li><a href="/services/childrens-services/mindmate.html">MindMate</a> for young people's mental health</li>
</ul>
<h2 id="referral">How to get help</h2>
<p>Most of our teams take referrals from GPs, schools and health visitors.</p>
<p>Parents can also contact some teams directly. Look on each team's page to see how.</p>
<h2 id="visits">What to expect</h2>
<p>We may see your child at home or at school. We also see children in a clinic or on a video call.</p>
<p>We will always talk to you about what your child needs. We will agree a plan with you.</p>
<p>You can bring a friend or family member to any appointment.</p>
<p>Please tell us if you need an interpreter. We can also help if your child finds new places hard.</p>
<div class="contact-block">
  <h2 id="contact">Contact children's services</h2>
  <p><strong>Phone:</strong> <a href="tel:+441138433100">0113 843 3100</a></p>
  <p><strong>Email:</strong> <a href="mailto:children@northdale.nhs.uk">children@northdale.nhs.uk</a></p>
  <p><strong>Opening times:</strong> Monday to Friday, 9am to 5pm</p>
</div>
"""
    + review("21 April 2026", "21 April 2029"),
    clean=True,
)
fine("typo", CHILDREN, "paediatric", note="British spelling")
fine("spelling-american", CHILDREN, "paediatric", note="British spelling")

SALT = page(
    "/services/childrens-services/speech-and-language-therapy.html",
    "Speech and language therapy - Northdale Community Health NHS Trust",
    """
<h1>Speech and language therapy</h1>
<p>Our pediatric speech and language therapists help children who find it hard to talk, understand or swallow.</p>
<h2 id="how-we-help">How we help</h2>
<ul>
  <li>we play games with your child to help them learn new words</li>
  <li>we show you simple things to try at home</li>
  <li>we help children with a stammer</li>
  <li>we help children with Down's syndrome</li>
  <li>we help children who find eating or drinking difficult</li>
</ul>
<h2 id="drop-in">Drop-in sessions</h2>
<p>Come to our drop-in at the Northdale Children's Center every Tuesday.</p>
<p>Sessions run from 10am to 12pm. You do not need to book.</p>
<p>Look for the room with the bright color door on the ground floor.</p>
<h2 id="contact">Contact us</h2>
<div class="contact-block">
  <p><strong>Phone:</strong> <a href="tel:+441138433300">0113 843 3300</a></p>
  <p><strong>Fax:</strong> 0113 843 3301</p>
  <p><strong>Email:</strong> <a href="mailto:slt@northdale.nhs.uk">slt@northdale.nhs.uk</a></p>
  <address>Speech and Language Therapy, Northdale Children's Centre, 4 Elm Grove, Northdale, LS6 2BE</address>
</div>
"""
    + review("2 December 2025", "2 December 2028"),
)
defect("spelling-american", SALT, "pediatric", note="British spelling is paediatric")
defect("spelling-american", SALT, "Center", note="British spelling is Centre")
defect("spelling-american", SALT, "color", note="British spelling is colour")
defect("nhs-style", SALT, "12pm", note="use 'midday'")
fine("typo", SALT, "Down's", note="the eponym with its apostrophe")
fine("phone-invalid", SALT, "0113 843 3301", note="a fax number: not checked as a phone")
fine("phone-inconsistent", SALT, "0113 843 3301", note="a fax next to the phone is no typo")

MINDMATE = page(
    "/services/childrens-services/mindmate.html",
    "MindMate - Northdale Community Health NHS Trust",
    """
<h1>MindMate</h1>
<p>MindMate is our mental health service for children and young people aged 5 to 18.</p>
<p>We help with worries, low mood, anger, sleep and eating problems.</p>
<h2 id="how-to-get-help">How to get help</h2>
<p>You can talk to a teacher, your school nurse or your GP. They can ask us to see you.</p>
<p>If you are 13 or over, you can also contact us yourself.</p>
<h2 id="what-happens">What happens next</h2>
<p>We will call you or your parent within 2 weeks. We will ask how you are feeling.</p>
<p>We will then agree the best help for you. This may be:</p>
<ul>
  <li>a group with other young people</li>
  <li>one-to-one sessions with a therapist</li>
  <li>help for your family</li>
</ul>
<h2 id="help-now">If you need help now</h2>
<p>Call NHS 111 and choose the mental health option. It is free and open all day and night.</p>
<p>If you are in danger, call 999 or go to A&amp;E.</p>
<h2 id="contact">Contact MindMate</h2>
<div class="contact-block">
  <p><strong>Phone:</strong> <a href="tel:+441138435500">0113 843 5500</a></p>
  <p><strong>Text:</strong> 07771 900 900</p>
  <p><strong>Opening times:</strong> Monday to Friday, 9am to 5pm</p>
</div>
"""
    + review("5 June 2026", "5 June 2028"),
    clean=True,
)
fine("typo", MINDMATE, "MindMate", note="service name")
fine("phone-invalid", MINDMATE, "07771 900 900", note="valid UK mobile number shown as plain text")

HEALTH_VISITING = page(
    "/services/childrens-services/health-visiting.html",
    "Health visiting - Northdale Community Health NHS Trust",
    """
<h1>Health visiting</h1>
<p>Health visitors are nurses who support families with babies and young children.</p>
<p>You will meet your health visitor before your baby is born. They will visit you at home.</p>
<h2 id="checks">Checks for your child</h2>
<p>Your health visitor will see you and your child at these times:</p>
<ul>
  <li>before your baby is born</li>
  <li>10 to 14 days after the birth</li>
  <li>6 to 8 weeks after the birth</li>
  <li>when your child is 1 year old</li>
  <li>when your child is 2 years old</li>
</ul>
<h2 id="help-with">What we can help with</h2>
<ul>
  <li>feeding your baby</li>
  <li>sleep and crying</li>
  <li>how your child is growing</li>
  <li>how you are feeling as a parent</li>
</ul>
<p>We also run baby clinics. You can get your baby weighed and ask questions.</p>
<h2 id="clinics">Baby clinics</h2>
<table>
  <caption>Baby clinic times</caption>
  <thead><tr><th>Place</th><th>Day</th><th>Time</th></tr></thead>
  <tbody>
    <tr><td>Northdale Health Centre</td><td>Monday</td><td>10am to midday</td></tr>
    <tr><td>Eastfield Children's Centre</td><td>Thursday</td><td>1pm to 3pm</td></tr>
  </tbody>
</table>
<h2 id="contact">Contact health visiting</h2>
<p>Phone the health visiting team on <a href="tel:+441138433200">0113 843 3200</a>.</p>
<p>We are open Monday to Friday, 9am to 5pm.</p>
"""
    + review("18 March 2026", "18 March 2029"),
    clean=True,
)

# ---------------------------------------------------------------------------------------
# District nursing
# ---------------------------------------------------------------------------------------
DN = page(
    "/services/district-nursing/index.html",
    "District nursing - Northdale Community Health NHS Trust",
    """
<h1>District nursing</h1>
<p>District nurses care for adults who are housebound. They visit people at home.</p>
<img src="/images/nurse-visit.svg" alt="A district nurse talking to an older man in his living room" width="400" height="250">
<h2 id="what-we-do">What we do</h2>
<ul>
  <li>dress wounds and leg ulcers</li>
  <li>treat leg swelling (edema)</li>
  <li>give injections</li>
  <li>help people manage long-term conditions</li>
  <li>care for people at the end of their life</li>
</ul>
<p>Read our advice on <a href="/services/district-nursing/wound-care.html">caring for a wound at home</a>.</p>
<p>We run a 24hr service for people at the end of their life.</p>
<p>Clinic times changed this year. See the <a href="/services/old-clinic-times.html">old clinic times</a> for the details.</p>
<h2 id="contact">Contact us</h2>
<div class="contact-block">
  <h3>Day team</h3>
  <p><strong>Phone:</strong> [insert phone number]</p>
  <p>TODO: add opening times</p>
  <div class="contact-block nested">
    <h3>Night team</h3>
    <p><strong>Phone:</strong> <a href="tel:+441138434400">0113 843 4400</a></p>
    <p><strong>Opening times:</strong> every day, 8pm to 8am</p>
  </div>
</div>
<p>For advice at night, call NHS 111. If someone stops breathing, dial 999.</p>
<h2 id="other-services">Other services that can help</h2>
<ul>
  <li>Memory clinic: 0113 843 9200</li>
  <li>Falls team: 0113 843 7700</li>
</ul>
<p>For advice about care homes, see the <a href="https://external.example/always-429">Care Quality Commission</a>.</p>
"""
    + review("30 January 2026", "30 January 2029"),
)
defect("placeholder", DN, "[insert phone number]", note="template text left in")
defect("placeholder", DN, "TODO: add opening times", note="editor's note left in")
defect("spelling-american", DN, "edema", note="British spelling is oedema")
defect("nhs-style", DN, "24hr", note="write '24-hour'")
fine("phone-invalid", DN, "999", note="'dial 999' is a contact, and a valid one")
fine("phone-invalid", DN, "111", note="'call NHS 111' is a contact, and a valid one")
fine("phone-inconsistent", DN, "999", note="999 is the same number everywhere")
defect(
    "link-soft-404",
    DN,
    "old clinic times",
    "/services/old-clinic-times.html",
    "internal page answers 200 but its title and h1 say Page not found",
)
defect(
    "link-unverifiable",
    DN,
    "Care Quality Commission",
    f"{EXT}/always-429",
    "429 with Retry-After: 1 on every request; must not be reported broken",
)

WOUND = page(
    "/services/district-nursing/wound-care.html",
    "Caring for a wound at home - Northdale Community Health NHS Trust",
    """
<h1>Caring for a wound at home</h1>
<p>Most small wounds heal well at home. This page tells you how to look after a wound.</p>
<h2 id="keep-clean">Keep the wound clean</h2>
<ul>
  <li>wash your hands before and after you touch the dressing</li>
  <li>keep the dressing clean and dry</li>
  <li>do not take the dressing off unless your nurse tells you to</li>
</ul>
<p>You can usually have a shower after 2 days. Pat the area dry with a clean towel.</p>
<h2 id="help-it-heal">Help it heal</h2>
<ul>
  <li>eat well and drink plenty of water</li>
  <li>try not to smoke</li>
  <li>keep active if you can</li>
</ul>
<h2 id="signs-of-infection">Signs of infection</h2>
<p>Call your district nurse or GP if the wound:</p>
<ul>
  <li>gets more red, hot or swollen</li>
  <li>starts to leak pus or smell</li>
  <li>hurts more than before</li>
</ul>
<p>Also call if you feel hot and shivery or generally unwell.</p>
<h2 id="contact">Contact the district nurses</h2>
<p>Call the night team on <a href="tel:+441138434400">0113 843 4400</a>. They are open every day, 8pm to 8am.</p>
<p>In the day, call your GP surgery and ask for the district nurses.</p>
"""
    + review("30 January 2026", "30 January 2029"),
    clean=True,
)

OLD_CLINIC = page(
    "/services/old-clinic-times.html",
    "Page not found - Northdale Community Health NHS Trust",
    """
<h1>Page not found</h1>
<p>Sorry, we could not find the page you were looking for.</p>
<p>If you typed the web address, check it is correct.</p>
<p>You can <a href="/services/index.html">find a service in our A to Z</a> or <a href="/index.html">go to the homepage</a>.</p>
""",
)

# ---------------------------------------------------------------------------------------
# Diabetes
# ---------------------------------------------------------------------------------------
DIABETES = page(
    "/services/diabetes/index.html",
    "Diabetes - Northdale Community Health NHS Trust",
    """
<h1>Diabetes</h1>
<p>Our diabetes team helps adults with type 1 and type 2 diabetes to stay well.</p>
<img src="/images/glucose-meter.svg" alt="A blood sugar meter showing a normal reading" width="400" height="250">
<h2 id="what-we-offer">What we offer</h2>
<ul>
  <li>help to check your blood sugar</li>
  <li>advice on food and exercise</li>
  <li>a course called Living Well with Diabetes</li>
  <li><a href="/services/diabetes/foot-checks.html">yearly foot checks</a></li>
</ul>
<h2 id="course">Living Well with Diabetes course</h2>
<p>The course is free. It runs for 4 weeks, once a week, for 2 hours.</p>
<p>You will meet other people with diabetes and learn from each other.</p>
<h2 id="contact">Contact the diabetes team</h2>
<dl class="contact-details">
  <dt>Phone</dt>
  <dd><a href="tel:+441138436600">0113 843 6060</a></dd>
  <dt>Email</dt>
  <dd><a href="mailto:diabetes.tean@northdale.nhs.uk">diabetes.team@northdale.nhs.uk</a></dd>
  <dt>Opening times</dt>
  <dd>Monday to Friday, 9am to 5pm</dd>
</dl>
"""
    + review("11 November 2025", "11 November 2027"),
)
defect(
    "phone-inconsistent",
    DIABETES,
    "0113 843 6060",
    "tel:+441138436600",
    "the tel: link dials a different number from the one shown",
)
defect(
    "email-invalid",
    DIABETES,
    "diabetes.team@northdale.nhs.uk",
    "mailto:diabetes.tean@northdale.nhs.uk",
    "the mailto: address differs from the address shown",
)

FOOT_CHECKS = page(
    "/services/diabetes/foot-checks.html",
    "Foot checks if you have diabetes - Northdale Community Health NHS Trust",
    """
<h1>Foot checks if you have diabetes</h1>
<p>Diabetes can damage the nerves and blood flow in your feet. This can cause serious problems.</p>
<p>Checking your feet every day helps you spot problems early.</p>
<h2 id="daily-checks">Check your feet every day</h2>
<p>Look at your feet each morning or evening. Use a mirror to see the soles.</p>
<p>Look for:</p>
<ul>
  <li>cuts, cracks or blisters</li>
  <li>red or swollen areas</li>
  <li>changes in colour or shape</li>
  <li>hard skin or corns</li>
</ul>
<h2 id="look-after">Look after your feet</h2>
<ul>
  <li>wash your feet every day in warm water</li>
  <li>dry them well, including between your toes</li>
  <li>wear shoes that fit well</li>
  <li>do not walk barefoot, even at home</li>
</ul>
<h2 id="yearly-check">Your yearly foot check</h2>
<p>Your GP surgery should check your feet once a year. They will tell you if you need to see a foot specialist.</p>
<h2 id="urgent">Get help urgently</h2>
<p>Do you have a cut or blister that is not healing? Call your GP or NHS 111 straight away.</p>
<p>Also call if your foot is hot, red or swollen.</p>
"""
    + review("11 November 2025", "11 November 2028"),
    clean=True,
)
fine("spelling-american", FOOT_CHECKS, "colour", note="British spelling")

# ---------------------------------------------------------------------------------------
# Falls prevention: review overdue, NHS style, broken and duplicate links
# ---------------------------------------------------------------------------------------
FALLS = page(
    "/services/falls-prevention.html",
    "Falls prevention - Northdale Community Health NHS Trust",
    """
<h1>Falls prevention</h1>
<p>Our falls team helps older people stay steady on their feet.</p>
<p>People with Parkinsons are more likely to fall.</p>
<img src="/images/walking-group.svg" alt="A group of older people on a walk in the park" width="400" height="250">
<h2 id="classes">Strength and balance classes</h2>
<p>Our classes run every Wednesday from 2pm to 5.00pm at Northdale Leisure Centre.</p>
<p>The last entry is at 17:00 on Fridays.</p>
<p>The next new course starts on 6 Aug 2026.</p>
<h2 id="referral">How to get help</h2>
<p>Ask your GP to refer you. <a href="https://external.example/ok/falls-referral">Find out more</a> about referrals.</p>
<p>Call the falls team on <a href="tel:+441138437700">0113 843 7700</a>.</p>
<p>Learn about our home safety checks. <a href="https://external.example/ok/home-safety">Find out more</a>.</p>
<h2 id="other-services">Other services that can help</h2>
<ul>
  <li>Memory clinic: 0113 843 9200</li>
  <li>Continence service: 0113 843 9300</li>
</ul>
<h2 id="useful-links">Useful links</h2>
<ul>
  <li><a href="https://external.example/ok/falls-guide">Get Up and Go: a guide to staying steady</a></li>
  <li><a href="https://external.example/reset">Age Action falls helpline</a></li>
  <li><a href="https://no-such-host.invalid/">Northdale Falls Network</a></li>
  <li><a href="http://127.0.0.1:9/">Local exercise finder</a></li>
  <li><a href="https://external.example/ok/falls-guide">Staying steady guide</a></li>
  <li><a href="http://www.nhs.uk/live-well/exercise/">Exercise advice for older adults</a></li>
</ul>
<div class="page-review">
<p>Page last reviewed: 1 March 2024</p>
<p>Next review due: 1 March 2025</p>
</div>
""",
)
defect("nhs-style", FALLS, "5.00pm", note="use '5pm'")
defect("nhs-style", FALLS, "17:00", note="use '5pm'")
defect("nhs-style", FALLS, "6 Aug 2026", note="write the month in full: 6 August 2026")
defect("typo", FALLS, "Parkinsons", note="missing its apostrophe: Parkinson's")
defect("review-overdue", FALLS, "Next review due: 1 March 2025", note="next review date has passed")
defect(
    "link-duplicate",
    FALLS,
    "Find out more",
    f"{EXT}/ok/falls-referral",
    "the same link text 'Find out more' points at two different targets",
    other_target=f"{EXT}/ok/home-safety",
)
defect(
    "link-duplicate",
    FALLS,
    "Staying steady guide",
    f"{EXT}/ok/falls-guide",
    "the Useful links list repeats a target",
)
defect(
    "link-broken",
    FALLS,
    "Age Action falls helpline",
    f"{EXT}/reset",
    "connection reset",
)
defect(
    "link-broken",
    FALLS,
    "Northdale Falls Network",
    "https://no-such-host.invalid/",
    "DNS failure",
)
defect(
    "link-broken",
    FALLS,
    "Local exercise finder",
    "http://127.0.0.1:9/",
    "connection refused (closed port)",
)
fine(
    "link-insecure",
    FALLS,
    "Local exercise finder",
    "http://127.0.0.1:9/",
    "http:// to a loopback address counts as secure (browsers treat 127.0.0.1 as secure); "
    "likewise every external.example link, served as http://127.0.0.1:PORT",
)
defect(
    "link-insecure",
    FALLS,
    "Exercise advice for older adults",
    "http://www.nhs.uk/live-well/exercise/",
    "http:// link to another site (host skipped by the demo, so never fetched)",
)

# ---------------------------------------------------------------------------------------
# Wheelchair service: invalid phones, template placeholder, server errors
# ---------------------------------------------------------------------------------------
WHEELCHAIR = page(
    "/services/wheelchair-service.html",
    "Wheelchair service - Northdale Community Health NHS Trust",
    """
<h1>Wheelchair service</h1>
<p>Dear {{ name }}, thank you for your interest in our wheelchair service.</p>
<p>We provide wheelchairs for people who need one for a long time.</p>
<img src="/images/wheelchair.svg" alt="A lightweight manual wheelchair" width="400" height="250">
<h2 id="who-can-use">Who can use the service</h2>
<p>You must live in Northdale and need a wheelchair for 6 months or more.</p>
<p>Your GP, physiotherapist or occupational therapist can refer you.</p>
<h2 id="repairs">Repairs</h2>
<p>Our repairs are done by Northdale Mobility Ltd. Call them on <a href="tel:+442074504000">020 7450 4000</a>.</p>
<p>Urgent repairs are done within 48hrs. The repairs line is open 24 hours a day.</p>
<p>Read their <a href="https://external.example/server-error">repairs guide</a> and <a href="https://external.example/unavailable">service status page</a>.</p>
<h2 id="contact">Contact us</h2>
<p><strong>Phone:</strong> 0113 843 190</p>
<p><strong>Phone (minicom):</strong> 01632 96O 123</p>
<p><strong>Email:</strong> <a href="mailto:wheelchairs@northdale.nhs.uk">wheelchairs@northdale.nhs.uk</a></p>
<p>Monday to Friday, 9am to 5pm</p>
""",
)
defect("review-date-missing", WHEELCHAIR, note="advice page with no review date at all")
defect("placeholder", WHEELCHAIR, "{{ name }}", note="template variable left in")
defect("phone-invalid", WHEELCHAIR, "0113 843 190", note="one digit short")
defect("phone-invalid", WHEELCHAIR, "01632 96O 123", note="letter O instead of zero")
defect("nhs-style", WHEELCHAIR, "48hrs", note="write '48 hours'")
fine("nhs-style", WHEELCHAIR, "24 hours", note="written in full")
defect(
    "link-broken",
    WHEELCHAIR,
    "repairs guide",
    f"{EXT}/server-error",
    "always 500",
)
defect(
    "link-broken",
    WHEELCHAIR,
    "service status page",
    f"{EXT}/unavailable",
    "always 503",
)

# ---------------------------------------------------------------------------------------
# Sexual health
# ---------------------------------------------------------------------------------------
SEXUAL = page(
    "/services/sexual-health/index.html",
    "Sexual health - Northdale Community Health NHS Trust",
    """
<h1>Sexual health</h1>
<p>Our sexual health clinics are free and private. Anyone can use them. You do not need to see a GP first.</p>
<h2 id="what-we-offer">What we offer</h2>
<ul>
  <li>tests for sexually transmitted infections (STIs)</li>
  <li>treatment for STIs</li>
  <li><a href="/services/sexual-health/contraception.html">contraception</a>, including the coil and the implant</li>
  <li>free condoms</li>
  <li>pregnancy tests</li>
</ul>
<h2 id="clinics">Our clinics</h2>
<table>
  <caption>Sexual health clinic times</caption>
  <thead><tr><th>Clinic</th><th>Opening times</th></tr></thead>
  <tbody>
    <tr><td>Northdale Health Centre, 12 Market Street, Northdale, LS1 4AP</td><td>Monday to Friday, 9am to 7pm</td></tr>
    <tr><td>Eastfield Clinic, 30 Station Road, Eastfield, LS9 8DT</td><td>Saturday, 10am to 2pm</td></tr>
  </tbody>
</table>
<p>Some clinics are walk-in. For others, you need to book.</p>
<h2 id="test-at-home">Test at home</h2>
<p>If you are 16 or over, you can order a free STI test kit. We post it to you in a plain envelope.</p>
<p>You do the test at home and post it back to us. We will text you the result.</p>
<h2 id="contact">Book an appointment</h2>
<p><strong>Phone:</strong> <a href="tel:+441138438800">0113 843 8800</a></p>
<p><strong>Free phone:</strong> <a href="tel:+44800890567">0800 890 567</a></p>
<p>Lines are open Monday to Friday, 9am to 5pm.</p>
"""
    + review("25 August 2026", "25 August 2028"),
    clean=True,
)

CONTRACEPTION = page(
    "/services/sexual-health/contraception.html",
    "Contraception - Northdale Community Health NHS Trust",
    """
<h1>Contraception</h1>
<p>There are many types of contraception. We can help you choose the one that suits you.</p>
<h2 id="types">Types of contraception</h2>
<ul>
  <li>the pill</li>
  <li>the implant</li>
  <li>the coil (IUD or IUS)</li>
  <li>the injection</li>
  <li>condoms</li>
</ul>
<p>Emergency contraception is free from our clinics and most pharmacies.</p>
<h2 id="more-information">More information</h2>
<ul>
  <li><a href="https://external.example/gone">Contraception guide from the Family Planning Trust</a></li>
  <li><a href="https://external.example/removed">Compare contraception methods</a></li>
  <li><a href="https://external.example/moved">Sexual health helpline</a></li>
  <li><a href="https://external.example/soft-404">Young people's guide to contraception</a></li>
</ul>
<p>Thinking about the coil? <a href="https://external.example/ok/coil-guide">Read more</a>.</p>
<p>For the full list of our clinics, go back to the <a href="/services/sexual-health/index.html#clinics">sexual health page</a>.</p>
<div class="page-review">
<p>Last reviewed: 12/03/2025</p>
<p>Date of next review: 12 March 2028</p>
</div>
""",
)
fine(
    "review-overdue",
    CONTRACEPTION,
    "Last reviewed: 12/03/2025",
    note="numeric UK date (12 March 2025), day first; next review 12 March 2028 is in the future",
)
defect(
    "link-broken",
    CONTRACEPTION,
    "Contraception guide from the Family Planning Trust",
    f"{EXT}/gone",
    "404",
)
defect(
    "link-broken",
    CONTRACEPTION,
    "Compare contraception methods",
    f"{EXT}/removed",
    "410",
)
defect(
    "link-redirect",
    CONTRACEPTION,
    "Sexual health helpline",
    f"{EXT}/moved",
    "301 to /ok/new-home",
)
defect(
    "link-soft-404",
    CONTRACEPTION,
    "Young people's guide to contraception",
    f"{EXT}/soft-404",
    "200 with a Page not found title",
)
defect(
    "link-text-unhelpful",
    CONTRACEPTION,
    "Read more",
    f"{EXT}/ok/coil-guide",
    "link text does not say where it goes",
)

# ---------------------------------------------------------------------------------------
# Other services
# ---------------------------------------------------------------------------------------
MEMORY = page(
    "/services/memory-clinic.html",
    "Memory clinic - Northdale Community Health NHS Trust",
    """
<h1>Memory clinic</h1>
<p>Welcome to the {title} page.</p>
<p>Our memory clinic helps people who are worried about their memory.</p>
<p>We see people who forget things more often than usual or get confused.</p>
<p>Memory loss can be a sign of Alzheimers disease.</p>
<p>We also see people with Parkinson's who have memory problems.</p>
<h2 id="assessment">Your assessment</h2>
<p>A nurse will ask you some questions and do a short memory test. Bring a family member or friend if you can.</p>
<p>The appointment takes about about 1 hour.</p>
<p>Please bring yourmedicines or a list of them.</p>
<p>We know that that can feel like a long time.</p>
<h2 id="support">Support for carers</h2>
<p>Caring for someone with memory problems can be hard. Our carers group meets once a month.</p>
<p>Read the <a href="https://external.example/slow">carers' guide from Memory Matters</a>.</p>
<p>Watch our <a href="https://external.example/youtube/watch?v=mem0ryClinic1">memory clinic video</a>.</p>
<p>Find support near you on the <a href="https://external.example/loop">dementia support directory</a>.</p>
<p>Carers group: 0113 843 92100</p>
<h2 id="other-services">Other services that can help</h2>
<ul>
  <li>Falls team: 0113 843 7700</li>
  <li>Continence service: 0113 843 9300</li>
</ul>
<h2 id="contact">Contact us</h2>
<p><strong>Phone:</strong> <a href="tel:+441138439200">0113 843 9200</a></p>
<p>Monday to Friday, 9am to 5pm</p>
<p>You can also <a href="http://www.nhs.uk/service-search/find-a-gp">find a GP near you</a>.</p>
<div class="page-review">
<p>Review date: March 2027</p>
</div>
""",
)
defect("placeholder", MEMORY, "{title}", note="template variable left in")
defect("word-repeated", MEMORY, "about about", note="a word typed twice")
fine("word-repeated", MEMORY, "that that", note="'that that' is correct English")
defect("typo", MEMORY, "Alzheimers", note="missing its apostrophe: Alzheimer's")
defect("typo", MEMORY, "yourmedicines", note="two words run together: your medicines")
defect("phone-invalid", MEMORY, "0113 843 92100", note="one digit too many")
fine("typo", MEMORY, "Parkinson's", note="the eponym with its apostrophe")
defect(
    "link-insecure",
    MEMORY,
    "find a GP near you",
    "http://www.nhs.uk/service-search/find-a-gp",
    "http:// link to another site (host skipped by the demo, so never fetched)",
)
defect(
    "link-broken",
    MEMORY,
    "carers' guide from Memory Matters",
    f"{EXT}/slow",
    "answers after 30 seconds; longer than the audit's timeout",
)
defect(
    "link-broken",
    MEMORY,
    "dementia support directory",
    f"{EXT}/loop",
    "redirect loop /loop -> /loop/b -> /loop",
)
fine(
    "link-soft-404",
    MEMORY,
    "memory clinic video",
    f"{EXT}/youtube/watch?v=mem0ryClinic1",
    "video exists: oEmbed answers 200",
)

CONTINENCE = page(
    "/services/continence.html",
    "Continence service - Northdale Community Health NHS Trust",
    """
<h1>Continence service</h1>
<p>We help adults who have problems controlling their bladder or bowels.</p>
<p>These problems are common. They can often be treated or made better.</p>
<img src="/images/continence-leaflet.svg" width="400" height="250">
<h2 id="what-we-help-with">What we help with</h2>
<ul>
  <li>leaking when you cough, sneeze or exercise</li>
  <li>needing to pee often or suddenly</li>
  <li>constipation and haemorrhoids</li>
  <li>problems after having a baby</li>
</ul>
<h2 id="products">Pads and products</h2>
<p>If you need pads, we can can arrange a home delivery.</p>
<p>Pad deliveries: 0113 843 93011</p>
<p>Tell your GP if you have diarrhea for more than 7 days.</p>
<p>Our healthcare assistants can visit you at home.</p>
<p>Ask us about bladdertraining.</p>
<p><a href="/services/index.html"><img src="/images/arrow.svg"></a></p>
<h2 id="contact">Contact us</h2>
<p><strong>Phone:</strong> <a href="tel:+441138439300">0113 843 9300</a></p>
<p>Monday to Friday, 9am to 4pm</p>
<p>Nurse advice lines: 0113 843 9310/9320</p>
<h2 id="other-services">Other services that can help</h2>
<ul>
  <li>Memory clinic: 0113 843 9210</li>
</ul>
"""
    + review("2 May 2022"),
)
defect("word-repeated", CONTINENCE, "can can", note="a word typed twice")
defect(
    "image-alt-missing",
    CONTINENCE,
    "continence-leaflet.svg",
    target="/images/continence-leaflet.svg",
    note="img in main with no alt attribute",
)
defect(
    "image-alt-missing",
    CONTINENCE,
    "arrow.svg",
    target="/images/arrow.svg",
    note="linked img with no alt attribute",
)
defect(
    "link-text-unhelpful",
    CONTINENCE,
    "",
    "/services/index.html",
    "empty link: the only content is an image with no alt",
)
defect(
    "review-overdue",
    CONTINENCE,
    "Page last reviewed: 2 May 2022",
    note="last reviewed more than 3 years ago and no next review date",
)
fine("typo", CONTINENCE, "haemorrhoids", note="British medical spelling")
fine("spelling-american", CONTINENCE, "haemorrhoids", note="British medical spelling")
fine("typo", CONTINENCE, "healthcare", note="a real compound word, not two run together")
defect("typo", CONTINENCE, "bladdertraining", note="two words run together: bladder training")
defect("spelling-american", CONTINENCE, "diarrhea", note="British spelling is diarrhoea")
defect("phone-invalid", CONTINENCE, "0113 843 93011", note="one digit too many")
fine(
    "phone-invalid",
    CONTINENCE,
    "0113 843 9310",
    note="'0113 843 9310/9320' is two valid numbers, 0113 843 9310 and 0113 843 9320",
)
fine(
    "phone-invalid",
    CONTINENCE,
    "Nurse advice lines: 0113 843 9310/9320",
    note="the whole line: neither alternative may be reported (0113 843 9320 is not written out)",
)
defect(
    "phone-inconsistent",
    CONTINENCE,
    "0113 843 9210",
    note="the memory clinic is 0113 843 9200 on the falls and district nursing pages: "
    "one digit out, a likely typo",
)

DIETETICS = page(
    "/services/dietetics.html",
    "Dietetics - Northdale Community Health NHS Trust",
    """
<h1>Dietetics</h1>
<p>Our dietitians give advice on food and nutrition to help you stay well.</p>
<p>We can help you plan a health diet that suits you.</p>
<h2 id="who-we-help">Who we help</h2>
<ul>
  <li>adults who have lost weight without trying</li>
  <li>people with swallowing problems</li>
  <li>people with coeliac disease or food allergies</li>
  <li>people with Crohns disease</li>
  <li>people with diabetes who need extra help</li>
</ul>
<h2 id="referral">How to get help</h2>
<p>Ask your GP, nurse or another health worker to refer you.</p>
<p>We see people in clinics and at home. You may need to to bring a food diary.</p>
<p>Keep the diary for 3-5 days before yourappointment.</p>
<p>Adults should drink 6-8 glasses of fluid a day.</p>
<p>Foods rich in iron help to prevent anemia.</p>
<p>There are <a href="https://external.example/ok/eat-well">tips on healthy eating</a> on the Eat Well website.</p>
<p>Our team is happy to help. For more details see <a href="https://external.example/ok/nutrition-leaflets">https://external.example/ok/nutrition-leaflets</a>.</p>
<p>Leaflets for carers are <a href="https://external.example/ok/carers-leaflets">here</a>.</p>
<p><a href="https://external.example/ok/empty-link"></a></p>
<h2 id="contact">Contact us</h2>
<p><strong>Phone:</strong> <a href="tel:+441138432500">0113 843 2500</a></p>
<p><strong>Home visits:</strong> 0113 843 25010</p>
<p>Monday to Friday, 9am to 5pm</p>
<h2 id="other-services">Other services that can help</h2>
<ul>
  <li>Continence service: 0113 843 9030</li>
</ul>
""",
)
defect("review-date-missing", DIETETICS, note="advice page with no review date at all")
defect("grammar", DIETETICS, "health", note="'a health diet': 'healthy' before a noun")
defect("word-repeated", DIETETICS, "to to", note="a word typed twice")
fine("grammar", DIETETICS, "advice", note="'give advice': the noun, rightly")
defect("typo", DIETETICS, "Crohns", note="missing its apostrophe: Crohn's")
defect("typo", DIETETICS, "yourappointment", note="two words run together: your appointment")
defect("nhs-style", DIETETICS, "3-5", note="use '3 to 5'")
defect("nhs-style", DIETETICS, "6-8", note="use '6 to 8'")
defect("spelling-american", DIETETICS, "anemia", note="British spelling is anaemia")
defect("phone-invalid", DIETETICS, "0113 843 25010", note="one digit too many")
defect(
    "phone-inconsistent",
    DIETETICS,
    "0113 843 9030",
    note="the continence service is 0113 843 9300 on the falls and memory clinic pages: "
    "two neighbouring digits swapped, a likely typo",
)
defect(
    "link-text-unhelpful",
    DIETETICS,
    "https://external.example/ok/nutrition-leaflets",
    f"{EXT}/ok/nutrition-leaflets",
    "a bare URL as link text (rewritten to the real external origin when served)",
)
defect(
    "link-text-unhelpful",
    DIETETICS,
    "here",
    f"{EXT}/ok/carers-leaflets",
    "link text 'here'",
)
defect(
    "link-text-unhelpful",
    DIETETICS,
    "",
    f"{EXT}/ok/empty-link",
    "empty link with no text at all",
)

DENTAL = page(
    "/services/community-dental.html",
    "",
    """
<h1>Community dental service</h1>
<p>We care for the teeth of people who cannot easily see a high street dentist.</p>
<p>This includes people with a learning disability, people who are housebound and children with complex needs.</p>
<h2 id="treatment">Treatment</h2>
<p>Most treatment is done in our clinics with a local anaesthetic.</p>
<p>Some people may need treatment in hospital with a general anaesthetic.</p>
<p>Special care dentistry is a dental specialty.</p>
<h2 id="contact">Contact us</h2>
<p><strong>Phone:</strong> <a href="tel:+441138432600">0113 843 2600</a></p>
<p><strong>Fax:</strong> 0113 843 2601</p>
<p>Monday to Friday, 9am to 5pm</p>
"""
    + review("19 September 2025", "19 September 2028"),
)
defect("title-missing", DENTAL, note="empty <title>")
fine("typo", DENTAL, "anaesthetic", note="British medical spelling")
fine("spelling-american", DENTAL, "specialty", note="British NHS usage, as in 'specialty doctor'")
fine("typo", DENTAL, "specialty", note="British NHS usage, as in 'specialty doctor'")
fine("phone-invalid", DENTAL, "0113 843 2601", note="a fax number: not checked as a phone")
fine(
    "phone-inconsistent",
    DENTAL,
    "0113 843 2601",
    note="the fax is one digit from the phone, as faxes often are: not a typo",
)

RESPIRATORY = page(
    "/services/respiratory.html",
    "Respiratory service - Northdale Community Health NHS Trust",
    """
<h2>Respiratory service</h2>
<p>We help adults with long-term lung conditions, such as COPD and asthma.</p>
<h2 id="rehab">Pulmonary rehabilitation</h2>
<p>This is a 6-week course of exercise and advice. It helps you breathe better and do more.</p>
<p>When you feel short of breath, stop and rest. Remember to breath out slowly through pursed lips.</p>
<p>Bring a list of you medicines to your first session.</p>
<p>Your breathing test results take 7-10 days.</p>
<p>Have your COVID-19 and flu vaccines each year.</p>
<p>Tell us if you have ankle swelling (oedema).</p>
<p>If your lips turn blue, dial 999.</p>
<h2 id="oxygen">Home oxygen</h2>
<p>We check people who use oxygen at home. We make sure they have the right amount.</p>
<p>Oxygen users can call our 24-hour helpline.</p>
<h2 id="contact">Contact us</h2>
<p><strong>Phone:</strong> <a href="tel:+441138432700">0113 843 2700</a></p>
<p>Monday to Friday, 9am to 5pm</p>
"""
    + review("19 September 2025", "19 September 2028"),
)
defect("title-missing", RESPIRATORY, note="no <h1> on the page")
defect("grammar", RESPIRATORY, "breath", note="a noun where the verb is needed: 'breathe'")
defect("grammar", RESPIRATORY, "you", note="'you' where 'your' is needed: 'your medicines'")
fine("grammar", RESPIRATORY, "short of breath", note="'breath' as a noun is right here")
defect("nhs-style", RESPIRATORY, "7-10", note="use '7 to 10'")
fine("nhs-style", RESPIRATORY, "6-week", note="a compound adjective, not a range")
fine("nhs-style", RESPIRATORY, "COVID-19", note="a name, not a range")
fine("nhs-style", RESPIRATORY, "24-hour", note="the NHS way to write it")
fine("spelling-american", RESPIRATORY, "oedema", note="British medical spelling")
fine("typo", RESPIRATORY, "oedema", note="British medical spelling")
fine("phone-invalid", RESPIRATORY, "999", note="'dial 999' is a contact, and a valid one")

STOP_SMOKING = page(
    "/services/stop-smoking.html",
    "Stop smoking service - Northdale Community Health NHS Trust",
    """
<h1>Stop smoking service</h1>
<p>Stopping smoking is one of the best things you can do for your health. We can help you quit.</p>
<p>You are 3 times more likely to quit with our help than on your own.</p>
<h2 id="what-we-offer">What we offer</h2>
<ul>
  <li>a weekly chat with an adviser for 12 weeks</li>
  <li>free nicotine patches, gum or sprays</li>
  <li>advice on vapes</li>
  <li>a breath test to show how you are doing</li>
</ul>
<h2 id="benefits">How quitting helps</h2>
<ul>
  <li>after 2 days, your sense of taste and smell gets better</li>
  <li>after 3 days, breathing is easier</li>
  <li>after 3 months, your lungs work better</li>
  <li>after 1 year, your risk of a heart attack is half that of a smoker</li>
</ul>
<p>You will also save money. Someone who smokes 10 a day could save over &pound;2,000 a year.</p>
<h2 id="pregnant">If you are pregnant</h2>
<p>Stopping smoking protects your baby. Our advisers can see you at home or at your antenatal clinic.</p>
<h2 id="contact">Contact the stop smoking service</h2>
<p>Call us on <a href="tel:+441138439400">0113 843 9400</a> or email <a href="mailto:stopsmoking@northdale.nhs.uk">stopsmoking@northdale.nhs.uk</a>.</p>
<p>We are open Monday to Friday, 9am to 5pm.</p>
<p>You can also find tips on the <a href="https://external.example/ok/quit-tips">Quit Together website</a>.</p>
"""
    + review("4 April 2026", "4 April 2029"),
    clean=True,
)
fine("grammar", STOP_SMOKING, "breath", note="'a breath test': a noun, rightly")

# ---------------------------------------------------------------------------------------
# Pages a content management system has let go stale (issue 21's real-page defects)
# ---------------------------------------------------------------------------------------
AUDIOLOGY = page(
    "/services/audiology.html",
    "Audiology - Northdale Community Health NHS Trust",
    """
<h1>Audiology</h1>
<p>(Visited 8,405 times, 917 visits today)</p>
<p>We test hearing for adults and children.</p>
<p>Your GP can refer you. The test takes about 1 hour.</p>
<p>Wear your glasses to the test if you use them.</p>
<p>Wear your glasses to the test if you use them, as we will ask you to read some words.</p>
<p>Wear your glasses to the test if you use them, as we will ask you to read some words.</p>
<p>Out of hours, you can phone NHS Direct.</p>
<p><strong>Phone:</strong> <a href="tel:+441138432800">0113 843 2800</a></p>
<p>Last updated: October 3, 2017</p>
""",
)
defect("placeholder", AUDIOLOGY, "(Visited 8,405 times, 917 visits today)", note="visit counter")
defect("content-outdated", AUDIOLOGY, "NHS Direct", note="replaced by NHS 111 in 2014")
defect("content-repeated", AUDIOLOGY, "Wear your glasses to the test if you use them, as we…",
       note="the same paragraph twice")  # fmt: skip
defect("review-overdue", AUDIOLOGY, "Last updated: October 3, 2017", note="'Last updated' 2017")
defect("nhs-style", AUDIOLOGY, "October 3, 2017", note="US date order")

ORTHOTICS = page(
    "/services/orthotics.html",
    "Orthotics - Northdale Community Health NHS Trust",
    """
<h1>Orthotics</h1>
<p>We make insoles and braces that support your feet, knees and back when you walk.</p>
<p>Your clinical commissioning group pays for this service.</p>
<p>We make insoles and braces that support your feet, knees and back when you walk.</p>
<p>[contact-form-7 id="12" title="Contact us"]</p>
<p><strong>Phone:</strong> <a href="tel:+441138432900">0113 843 2900</a></p>
<p>Date updated: 11/11/2020</p>
""",
)
defect("content-outdated", ORTHOTICS, "clinical commissioning group", note="replaced by ICBs, 2022")
defect("content-repeated", ORTHOTICS,
       "We make insoles and braces that support your feet, knees and back…",
       note="the same paragraph twice")  # fmt: skip
defect("placeholder", ORTHOTICS, '[contact-form-7 id="12" title="Contact us"]',
       note="a form's shortcode left unrendered")  # fmt: skip
defect("review-overdue", ORTHOTICS, "Date updated: 11/11/2020", note="'Date updated' 2020")

HEARING_AIDS = page(
    "/services/hearing-aid-repairs.html",
    "Hearing aid repairs - Northdale Community Health NHS Trust",
    """
<h1>Hearing aid repairs</h1>
<p>** single-gpage.php **</p>
<p>The repair clinic is closed from 1 to 28 February 2022.</p>
<p>Bring your hearing aid and its case to the clinic, and we will fix it while you wait.</p>
<p>Bring your hearing aid and its case to the clinic, and we will fix it while you wait.</p>
<p>NHS 111 replaced NHS Direct in 2014. Call 111 when you need help that is not an emergency.</p>
<p><strong>Phone:</strong> <a href="tel:+441138432810">0113 843 2810</a></p>
<p>This page was last modified on: 6 May 2021</p>
""",
)
defect("placeholder", HEARING_AIDS, "** single-gpage.php **", note="theme debug output")
defect("content-outdated", HEARING_AIDS, "The repair clinic is closed from 1 to 28 February 2022.",
       note="a dated notice whose date has passed")  # fmt: skip
defect("content-repeated", HEARING_AIDS,
       "Bring your hearing aid and its case to the clinic, and we…",
       note="the same paragraph twice")  # fmt: skip
defect("review-overdue", HEARING_AIDS, "This page was last modified on: 6 May 2021",
       note="'last modified' 2021")  # fmt: skip
fine("content-outdated", HEARING_AIDS, "NHS Direct", note="history that names the replacement")


# =========================================================================================
# News
# =========================================================================================
NEWS = page(
    "/news/index.html",
    "News - Northdale Community Health NHS Trust",
    """
<h1>News</h1>
<p>The latest news from Northdale Community Health NHS Trust.</p>
<ul class="news-list">
  <li><a href="/news/2026-10-flu-vaccines.html">Flu vaccines for housebound patients</a> (14 October 2026)</li>
  <li><a href="/news/2026-09-new-health-centre.html?sessionid=abc123">Our new health centre opens in spring</a> (22 September 2026)</li>
  <li><a href="/news/2026-08-podiatry-waiting-times.html">Podiatry waiting times</a> (19 August 2026)</li>
  <li><a href="/news/2026-07-volunteers.html?sessionid=abc123&amp;utm_source=newsletter">Thank you to our volunteers</a> (3 July 2026)</li>
  <li><a href="/news/new-cafe-opens.html">New caf&eacute; opens at Northdale Health Centre</a> (12 June 2026)</li>
</ul>
<p>For older news, see our <a href="https://external.example/flaky">news archive</a>.</p>
<p>Journalists can contact our communications team on <a href="tel:+441138439500">0113 843 9500</a>.</p>
"""
    + review("14 October 2026", "14 October 2027"),
)
fine("link-broken", NEWS, "news archive", f"{EXT}/flaky", "503 the first time, then 200")

FLU = page(
    "/news/2026-10-flu-vaccines.html",
    "Flu vaccines for housebound patients - Northdale Community Health NHS Trust",
    """
<h1>Flu vaccines for housebound patients</h1>
<p class="date">Published 14 October 2026</p>
<p>Our district nurses are giving flu vaccines to people who cannot leave their homes.</p>
<p>If you are housebound, your GP will tell us. We will call you to arrange a visit.</p>
<p>Home visits run until 12/18/2026.</p>
<p>To change your visit, call 01138439650.</p>
<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>
<h2 id="who">Who can get the vaccine</h2>
<ul>
  <li>people aged 65 or over</li>
  <li>people with some long-term health conditions</li>
  <li>carers</li>
</ul>
<p>Read the national guidance on the <a href="https://external.example/chain">flu vaccine programme</a>.</p>
"""
    + review("14 October 2026", "14 October 2027"),
)
defect("placeholder", FLU, "Lorem ipsum", note="dummy text left in")
fine("spelling-american", FLU, "programme", note="British spelling")
defect("nhs-style", FLU, "12/18/2026", note="a US-order date: write 18 December 2026")
defect("nhs-style", FLU, "01138439650", note="group as 0113 843 9650")
fine("nhs-style", FLU, "14 October 2026", note="a date written the NHS way")
defect(
    "link-redirect",
    FLU,
    "flu vaccine programme",
    f"{EXT}/chain",
    "301 -> 308 -> 200: one finding for the chain",
)

CENTRE = page(
    "/news/2026-09-new-health-centre.html",
    "Our new health centre opens in spring - Northdale Community Health NHS Trust",
    """
<h1>Our new health centre opens in spring</h1>
<p class="date">Published 22 September 2026</p>
<p>Building work on the new Eastfield Health Centre is nearly finished. It will definately open in spring 2027.</p>
<p>Building work started on March 4, 2025.</p>
<p>The centre will have a GP surgery, a pharmacy and clinics for children and adults.</p>
<p>There will also be office accomodation for our district nursing teams.</p>
<h2 id="delay">Why the opening was delayed</h2>
<p>A flood occured on the site last winter. This delayed the work by 3 months.</p>
<p>We are sorry for any trouble this caused.</p>
<p>Call the building team on 0113 84 39 660 with any questions.</p>
<h2 id="football">Charity football</h2>
<p>Our staff beat the builders 3-1 in a charity football match.</p>
<p>To find out more, <a href="https://external.example/ok/eastfield-plans">here</a> are the building plans.</p>
"""
    + review("22 September 2026", "22 September 2027"),
)
defect("typo", CENTRE, "definately", note="misspelling of definitely")
defect("typo", CENTRE, "accomodation", note="misspelling of accommodation")
defect("typo", CENTRE, "occured", note="misspelling of occurred")
defect("nhs-style", CENTRE, "March 4, 2025", note="a US-order date: write 4 March 2025")
defect("nhs-style", CENTRE, "0113 84 39 660", note="group as 0113 843 9660")
fine("nhs-style", CENTRE, "3-1", note="a score, not a range")
fine("nhs-style", CENTRE, "22 September 2026", note="a date written the NHS way")
defect(
    "link-text-unhelpful",
    CENTRE,
    "here",
    f"{EXT}/ok/eastfield-plans",
    "link text 'here'",
)

WAITING = page(
    "/news/2026-08-podiatry-waiting-times.html",
    "Podiatry waiting times - Northdale Community Health NHS Trust",
    """
<h1>Podiatry waiting times</h1>
<p class="date">Published 19 August 2026</p>
<p>We know some people are waiting too long for a podiatry appointment. We are sorry.</p>
<h2 id="figures">Our latest figures</h2>
<p>These figures were correct on July 31, 2026.</p>
<table>
  <caption>Average wait for a first appointment</caption>
  <thead><tr><th>Clinic</th><th>Average wait (weeks)</th></tr></thead>
  <tbody>
    <tr><td>Northdale Health Centre</td><td>7</td></tr>
    <tr><td>Eastfield Clinic</td><td>NaN</td></tr>
    <tr><td>Westbrook Surgery</td><td>undefined</td></tr>
  </tbody>
</table>
<h2 id="what-we-are-doing">What we are doing</h2>
<p>We have hired 2 new podiatrists. We are also running extra clinics on Saturdays.</p>
<p>If your foot problem gets worse while you wait, contact your GP.</p>
<p>Please keep your referral letter untill you are seen.</p>
<p>Find out more about our <a href="/services/podiatry/index.html">podiatry service</a>.</p>
"""
    + review("19 August 2026", "19 August 2027"),
)
defect("placeholder", WAITING, "NaN", note="a broken figure in the table")
defect("placeholder", WAITING, "undefined", note="'undefined' as a whole table cell")
defect("typo", WAITING, "untill", note="misspelling of until")
defect("nhs-style", WAITING, "July 31, 2026", note="a US-order date: write 31 July 2026")
fine("nhs-style", WAITING, "19 August 2026", note="a date written the NHS way")

VOLUNTEERS = page(
    "/news/2026-07-volunteers.html",
    "Thank you to our volunteers - Northdale Community Health NHS Trust",
    """
<h1>Thank you to our volunteers</h1>
<p class="date">Published 3 July 2026</p>
<p>This week is Volunteers' Week. We want to say thank you to all our volunteers.</p>
<img src="/images/volunteers.svg" alt="Five volunteers in green T-shirts outside the health centre" width="400" height="250">
<p>Over 150 people give their time to help our patients. They do many different jobs.</p>
<h2 id="what-they-do">What our volunteers do</h2>
<ul>
  <li>greet people when they arrive at our clinics</li>
  <li>run walking groups for people who want to be more active</li>
  <li>make phone calls to people who live alone</li>
  <li>help at our baby clinics</li>
</ul>
<p>Last year, our volunteers gave more than 20,000 hours of their time.</p>
<h2 id="stories">In their own words</h2>
<p>Margaret has volunteered with us for 8 years. She said: "I love meeting new people. It gets me out of the house and I feel useful."</p>
<p>Sam is 19 and wants to be a nurse. He said: "Volunteering has taught me so much. It has helped me get a place at university."</p>
<h2 id="join-us">Become a volunteer</h2>
<p>We would love to hear from you. You do not need any experience. We will give you training.</p>
<p>Email <a href="mailto:volunteers@northdale.nhs.uk">volunteers@northdale.nhs.uk</a> to find out more.</p>
"""
    + review("3 July 2026", "3 July 2027"),
    clean=True,
)

CAFE = page(
    "/news/new-cafe-opens.html",
    "New caf\u00e9 opens at Northdale Health Centre - Northdale Community Health NHS Trust",
    """
<h1>New caf\u00e9 opens at Northdale Health Centre</h1>
<p class="date">Published 12 June 2026</p>
<p>A new caf\u00e9 has opened in the main entrance of Northdale Health Centre.</p>
<p>It sells hot drinks, sandwiches and fruit. It is run by a local charity.</p>
<p>The manager said: \u201cWe\u2019re so happy to be here. Come and say hello.\u201d</p>
<p>The caf\u00e9 is open Monday to Friday, 8am to 4pm.</p>
"""
    + review("12 June 2026", "12 June 2027"),
    encoding="cp1252",
)
fine(
    "link-broken",
    STOP_SMOKING,
    "Quit Together website",
    f"{EXT}/ok/quit-tips",
    "a healthy external link (200)",
)
defect(
    "page-encoding",
    CAFE,
    note="bytes are cp1252 (caf\u00e9, curly quotes) but the page and header say utf-8",
)

# =========================================================================================
# Events (crawler trap) and private area
# =========================================================================================
from content_audit.sample.servers import CALENDAR_END, CALENDAR_START, calendar_region  # noqa: E402

CALENDAR = page(
    "/events/calendar.html",
    "Events calendar - Northdale Community Health NHS Trust",
    """
<h1>Events calendar</h1>
<p>Come along to our free health events. Everyone is welcome.</p>
"""
    + CALENDAR_START
    + calendar_region("2026-11")
    + CALENDAR_END
    + """
<p>To add an event, email <a href="mailto:events@northdale.nhs.uk">events@northdale.nhs.uk</a>.</p>
"""
    + review("1 November 2026", "1 November 2027"),
)

PRIVATE = page(
    "/private/staff.html",
    "Staff intranet - Northdale Community Health NHS Trust",
    """
<h1>Staff intranet</h1>
<p>This area is for Northdale Community Health staff only.</p>
<p>Robots must not crawl this page.</p>
""",
)

# Error page bodies used by the site server (not part of the crawlable site).
page(
    "/_errors/404.html",
    "Page not found - Northdale Community Health NHS Trust",
    """
<h1>Page not found</h1>
<p>If you typed the web address, check it is correct.</p>
<p>If you pasted the web address, check you copied the entire address.</p>
<p>You can <a href="/services/index.html">find a service in our A to Z</a> or <a href="/index.html">go to the homepage</a>.</p>
""",
)
page(
    "/_errors/500.html",
    "Sorry, there is a problem with the service - Northdale Community Health NHS Trust",
    """
<h1>Sorry, there is a problem with the service</h1>
<p>Try again later.</p>
<p>If you need help now, call the switchboard on 0113 843 0000.</p>
""",
)

# =========================================================================================
# Site-wide defects and non-page facts
# =========================================================================================
defect(
    "placeholder",
    HOME,
    "{vendor_count}",
    note="in the cookie banner on every page (outside main); report once for the site",
    site_wide=True,
)
fine(
    "image-alt-missing",
    HOME,
    "nhs-constitution-badge.svg",
    "/images/nhs-constitution-badge.svg",
    "image without alt in the footer on every page: not in main content",
)
fine(
    "link-broken",
    "/events/calendar.html",
    "Next month",
    "/events/calendar.html?month=2026-12",
    "crawler trap: the calendar links to the next month forever; the crawl must stay bounded",
)
fine(
    "link-broken",
    NEWS,
    "Our new health centre opens in spring",
    "/news/2026-09-new-health-centre.html?sessionid=abc123",
    "session id in the link: should be crawled once, without the parameter",
)
fine(
    "link-broken",
    HOME,
    "See all our services",
    "/services/index.html?utm_source=homepage&utm_medium=banner&utm_campaign=winter",
    "tracking parameters: same page as /services/index.html",
)
fine(
    "link-broken",
    ABOUT,
    "staff intranet",
    "/private/staff.html",
    "disallowed by robots.txt: must not be crawled or reported",
)
fine(
    "link-broken",
    CONTACT,
    "NHS 111",
    "https://111.nhs.uk/",
    "skipped-host: 111.nhs.uk is skipped by the demo config",
)
