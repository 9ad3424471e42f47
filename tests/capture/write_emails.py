"""Writes tests/capture/emails/*.eml (and .txt pastes) and expected.yaml from the cases below.

Run `.venv/bin/python tests/capture/write_emails.py tests/capture/emails` after changing a case.
Every email here was written for these tests; the companies are made up.
"""

import sys
from email.charset import BASE64, QP, Charset
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import yaml

OUT = Path(sys.argv[1])
OUT.mkdir(parents=True, exist_ok=True)
SAM = "Sam Rivera <sam.rivera@example.net>"

CASES = []


def case(
    name,
    *,
    frm=None,
    subject=None,
    date=None,
    body,
    fmt="plain",
    reply_to=None,
    expect,
    to=SAM,
    html=None,
    charset="utf-8",
    msgid=True,
):
    CASES.append(
        dict(
            name=name,
            frm=frm,
            subject=subject,
            date=date,
            body=body,
            fmt=fmt,
            reply_to=reply_to,
            expect=expect,
            to=to,
            html=html,
            charset=charset,
            msgid=msgid,
        )
    )


def R(company, role, contact="", email="", received=None, reason="", open_door=False):
    return dict(
        is_rejection=True,
        company=company,
        role=role,
        contact_name=contact,
        contact_email=email,
        received_at=received,
        reason=reason,
        open_door=open_door,
    )


def N():
    return dict(is_rejection=False)


def html_of(text):
    paras = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in text.split("\n\n"))
    return (
        "<!DOCTYPE html><html><head><title>Update</title><style>p{color:#333}</style>"
        "<script>var tracking = 'we have decided to move forward with other candidates';</script>"
        f'</head><body><div class="wrapper">{paras}</div>'
        '<img src="https://tracker.example/open.gif" width="1" height="1"></body></html>'
    )


# ------------------------------------------------------------------ rejections: ATS templates
case(
    "01_greenhouse_fabrikam",
    frm="Fabrikam Recruiting <no-reply@greenhouse.io>",
    subject="Your application to Fabrikam",
    date="Tue, 10 Nov 2026 14:32:10 +0100",
    body="""Hi Sam,

Thank you for your interest in Fabrikam and for taking the time to apply for the Senior Backend Engineer position.

After careful consideration, we have decided to move forward with other candidates whose experience more closely matches the needs of the role.

We will keep your résumé on file and encourage you to apply again for future openings that match your background.

Best,
The Fabrikam Recruiting Team
""",
    expect=R(
        "Fabrikam", "Senior Backend Engineer", received="2026-11-10T13:32:10+00:00", open_door=True
    ),
)

case(
    "02_lever_northwind_html",
    frm="Northwind Traders <no-reply@hire.lever.co>",
    subject="Northwind Traders | Data Analyst",
    date="Wed, 11 Nov 2026 09:05:00 -0500",
    fmt="html",
    body="""Hi Sam,

Thank you so much for your interest in the Data Analyst role at Northwind Traders and for the time you spent with our team.

Unfortunately, we will not be moving forward with your application at this time. We received many strong applications and this was a difficult decision.

We wish you the best of luck in your job search.

Best regards,
Priya Natarajan
Talent Partner, Northwind Traders
""",
    expect=R(
        "Northwind Traders", "Data Analyst", "Priya Natarajan", received="2026-11-11T14:05:00+00:00"
    ),
)

case(
    "03_workday_contoso",
    frm="Contoso Careers <contoso@myworkday.com>",
    subject="Update on your application",
    date="Thu, 12 Nov 2026 18:00:00 +0000",
    body="""Dear Sam Rivera,

Thank you for applying for the Cloud Solutions Architect position (R-10293) at Contoso.

We have reviewed your qualifications carefully. While your background is impressive, we have decided to pursue other candidates for this position.

We appreciate your interest in Contoso and encourage you to apply for future openings on our careers site.

Sincerely,
Contoso Talent Acquisition
""",
    expect=R(
        "Contoso", "Cloud Solutions Architect", received="2026-11-12T18:00:00+00:00", open_door=True
    ),
)

case(
    "04_ashby_tailspin_replyto",
    frm="Tailspin Toys <notifications@ashbyhq.com>",
    reply_to="Maria Gonzalez <maria.gonzalez@tailspintoys.com>",
    subject="Following up on your Product Designer application",
    date="Fri, 13 Nov 2026 11:20:45 -0800",
    body="""Hi Sam,

Thanks again for interviewing for the Product Designer role with us. Everyone enjoyed meeting you.

After a lot of discussion, we've decided to move forward with another candidate. The panel felt that we need someone with more experience in design systems for mobile apps at this stage.

I'd be glad to stay in touch, and I'll reach out if something opens up that fits.

Best,
Maria Gonzalez
Recruiting Lead, Tailspin Toys
""",
    expect=R(
        "Tailspin Toys",
        "Product Designer",
        "Maria Gonzalez",
        "maria.gonzalez@tailspintoys.com",
        "2026-11-13T19:20:45+00:00",
        reason="more experience in design systems",
        open_door=True,
    ),
)

case(
    "05_smartrecruiters_litware",
    frm="Litware Inc. Hiring Team <noreply@smartrecruiters.com>",
    subject="Your application for Customer Success Manager",
    date="Mon, 16 Nov 2026 08:00:00 +0000",
    body="""Dear Sam,

Thank you for your application for the Customer Success Manager role at Litware Inc.

We regret to inform you that you have not been selected for the next stage of our recruitment process.

We wish you every success in your future career.

Kind regards,
Litware Inc. Hiring Team
""",
    expect=R("Litware Inc.", "Customer Success Manager", received="2026-11-16T08:00:00+00:00"),
)

case(
    "06_icims_wideworld",
    frm="Wide World Importers <donotreply@icims.com>",
    subject="Regarding your application for Supply Chain Analyst",
    date="Tue, 17 Nov 2026 16:45:00 -0600",
    body="""Sam,

Thank you for your interest in career opportunities with Wide World Importers.

We regret to inform you that we will not be moving forward with your application for the Supply Chain Analyst position.

Please continue to visit our career site, and we encourage you to apply for other positions that match your skills.

Wide World Importers Recruiting
""",
    expect=R(
        "Wide World Importers",
        "Supply Chain Analyst",
        received="2026-11-17T22:45:00+00:00",
        open_door=True,
    ),
)

case(
    "07_personio_mustermann_de",
    frm="Mustermann Logistik GmbH <noreply@personio.de>",
    subject="Ihre Bewerbung als Softwareentwickler (m/w/d)",
    date="Mi, 18 Nov 2026 10:15:00 +0100",
    body="""Sehr geehrter Herr Rivera,

vielen Dank für Ihre Bewerbung als Softwareentwickler (m/w/d) und das damit verbundene Interesse an der Mustermann Logistik GmbH.

Nach sorgfältiger Prüfung müssen wir Ihnen leider mitteilen, dass wir uns für einen anderen Kandidaten entschieden haben.

Gerne nehmen wir Ihre Unterlagen in unseren Talentpool auf und melden uns, sobald eine passende Stelle frei wird.

Mit freundlichen Grüßen
Anna Schmidt
Personalabteilung, Mustermann Logistik GmbH
""",
    expect=R(
        "Mustermann Logistik GmbH",
        "Softwareentwickler (m/w/d)",
        "Anna Schmidt",
        received="2026-11-18T09:15:00+00:00",
        open_door=True,
    ),
)

case(
    "08_teamtailor_adatum",
    frm="Adatum Careers <no-reply@teamtailor-mail.com>",
    subject="Adatum: update on your application",
    date="Thu, 19 Nov 2026 13:00:00 +0100",
    body="""Hi Sam!

Thanks for applying to Adatum as a Frontend Developer. We really appreciate the time you put into your application.

We have now reviewed all applications and unfortunately we have chosen to proceed with other applicants whose profiles better match what we are looking for right now.

We hope our paths cross again, and you're welcome to keep an eye on our open roles.

Warm regards,
Jonas Lind
Adatum
""",
    expect=R("Adatum", "Frontend Developer", "Jonas Lind", received="2026-11-19T12:00:00+00:00"),
)

# ------------------------------------------------------------------ rejections: personal notes
case(
    "09_personal_dana_quoted",
    frm="Dana Whitfield <dana.whitfield@fabrikam.com>",
    subject="Re: Staff Engineer interview",
    date="Fri, 20 Nov 2026 17:02:33 +0100",
    body="""Hi Sam,

Thank you for the time you spent with us on Tuesday for the Staff Engineer role. It was a real pleasure, and everyone here at Fabrikam enjoyed the conversation.

I'm sorry to say we've decided not to move forward with your candidacy. The team felt you were strong on system design, but we're looking for someone with more hands-on experience with Kubernetes in production.

I'd be happy to stay in touch.

Dana

On Tue, 17 Nov 2026 at 09:12, Sam Rivera <sam.rivera@example.net> wrote:
> Hi Dana, thanks for arranging the interview. I look forward to the next steps!
> Best, Sam
""",
    expect=R(
        "Fabrikam",
        "Staff Engineer",
        "Dana Whitfield",
        "dana.whitfield@fabrikam.com",
        "2026-11-20T16:02:33+00:00",
        reason="more hands-on experience with Kubernetes",
        open_door=True,
    ),
)

case(
    "10_personal_de_blauwal",
    frm="Julia Becker <j.becker@blauwal-software.de>",
    subject="Ihre Bewerbung als Backend-Entwickler",
    date="Mon, 23 Nov 2026 15:40:00 +0100",
    body="""Hallo Herr Rivera,

vielen Dank für das nette Gespräch letzte Woche und Ihr Interesse an der Blauwal Software GmbH.

Leider haben wir uns nach reiflicher Überlegung für eine andere Kandidatin entschieden, da wir jemanden mit mehr Erfahrung im Bereich Zahlungsverkehr suchen.

Wir würden uns freuen, wenn Sie sich bei künftigen Ausschreibungen erneut bewerben.

Viele Grüße
Julia Becker
""",
    expect=R(
        "Blauwal Software GmbH",
        "Backend-Entwickler",
        "Julia Becker",
        "j.becker@blauwal-software.de",
        "2026-11-23T14:40:00+00:00",
        reason="mehr Erfahrung",
        open_door=True,
    ),
)

case(
    "11_qp_globex",
    frm="Globex Talent <talent@globex.example>",
    subject="Your application to Globex",
    date="Tue, 24 Nov 2026 10:00:00 +0000",
    fmt="qp",
    body="""Dear Sam,

Thank you for applying for the Site Reliability Engineer role at Globex and for sharing your résumé with us — we know it takes time to put an application together.

Having reviewed your application carefully, we are sorry to let you know that your application was unsuccessful on this occasion. We had a very competitive field of applicants for this role.

We'd be happy to keep your details on file for future vacancies.

With best wishes,
Hank Scorpio
Head of Talent, Globex
""",
    expect=R(
        "Globex",
        "Site Reliability Engineer",
        "Hank Scorpio",
        received="2026-11-24T10:00:00+00:00",
        open_door=True,
    ),
)

case(
    "12_base64_initech",
    frm="Initech HR <hr@initech.example>",
    subject="Application: Junior Developer",
    date="Wed, 25 Nov 2026 12:30:00 +0000",
    fmt="b64",
    body="""Hello Sam,

Thank you for applying to the role of Junior Developer at Initech Ltd.

We have now completed the shortlisting process and regret to inform you that you have not been shortlisted for interview.

Thank you for your interest in Initech.

Bill Lumbergh
Initech Ltd
""",
    expect=R("Initech", "Junior Developer", "Bill Lumbergh", received="2026-11-25T12:30:00+00:00"),
)

case(
    "13_latin1_de_sonnenschein",
    frm="Sonnenschein Energie AG <karriere@sonnenschein-energie.de>",
    subject="Absage: Ihre Bewerbung als Projektmanager",
    date="Thu, 26 Nov 2026 08:12:00 +0100",
    charset="iso-8859-1",
    fmt="qp",
    body="""Sehr geehrter Herr Rivera,

herzlichen Dank für Ihre Bewerbung und Ihr Interesse an der Sonnenschein Energie AG.

Wir bedauern, Ihnen mitteilen zu müssen, dass wir Ihre Bewerbung nicht weiter berücksichtigen können.

Für Ihre berufliche Zukunft wünschen wir Ihnen alles Gute und viel Erfolg.

Mit freundlichen Grüßen
Ihr Recruiting-Team der Sonnenschein Energie AG
""",
    expect=R("Sonnenschein Energie AG", "Projektmanager", received="2026-11-26T07:12:00+00:00"),
)

case(
    "14_cp1252_coho",
    frm="Lena Park <lena.park@cohowinery.com>",
    subject="Marketing Manager – your application",
    date="Fri, 27 Nov 2026 19:00:00 -0800",
    charset="windows-1252",
    fmt="8bit",
    body="""Hi Sam,

I wanted to reach out personally. We’ve decided to go with another candidate for the Marketing Manager role at Coho Winery – it was a close call.

We’d love to keep you in mind for future openings, so please don’t hesitate to apply again.

Cheers,
Lena Park
""",
    expect=R(
        "Coho Winery",
        "Marketing Manager",
        "Lena Park",
        "lena.park@cohowinery.com",
        "2026-11-28T03:00:00+00:00",
        open_door=True,
    ),
)

case(
    "15_position_filled",
    frm="Graphic Design Institute <careers@graphicdesigninstitute.example>",
    subject="Graphic Design Institute: UX Researcher",
    date="Sat, 28 Nov 2026 09:00:00 +0000",
    body="""Dear Sam,

Thank you for your interest in the UX Researcher position at Graphic Design Institute.

We wanted to let you know that the position has been filled. We appreciate the time you invested in your application.

Regards,
Graphic Design Institute Careers
""",
    expect=R(
        "Graphic Design Institute",
        "UX Researcher",
        received="2026-11-28T09:00:00+00:00",
        open_door=True,
    ),
)

case(
    "16_hiring_freeze",
    frm="Woodgrove Bank Recruiting <recruiting@woodgrovebank.example>",
    subject="Your application for Data Engineer",
    date="Sun, 29 Nov 2026 20:10:00 +0000",
    body="""Hi Sam,

Thank you for your patience during our process for the Data Engineer role.

Unfortunately, the role has been put on hold because of a hiring freeze, and we are not able to move forward with your application right now.

We'd like to stay in touch and will reach out if the position reopens.

Best,
Kevin Ortiz
Woodgrove Bank
""",
    expect=R(
        "Woodgrove Bank",
        "Data Engineer",
        "Kevin Ortiz",
        received="2026-11-29T20:10:00+00:00",
        reason="hiring freeze",
        open_door=True,
    ),
)

case(
    "17_offer_to_other",
    frm="Olivia Chen <olivia@fourthcoffee.example>",
    subject="Re: Engineering Manager final round",
    date="Mon, 30 Nov 2026 16:30:00 +0100",
    body="""Dear Sam,

Thank you for coming in for the final round for the Engineering Manager position. We really enjoyed our conversations.

After a lot of thought we have extended an offer to another candidate, who has accepted. The deciding factor was their experience leading teams through a platform migration.

I hope we can keep in touch.

Olivia Chen
VP Engineering, Fourth Coffee
""",
    expect=R(
        "Fourth Coffee",
        "Engineering Manager",
        "Olivia Chen",
        "olivia@fourthcoffee.example",
        "2026-11-30T15:30:00+00:00",
        open_door=True,
    ),
)

case(
    "18_not_selected_lucerne",
    frm="Lucerne Publishing <jobs@lucernepublishing.example>",
    subject="Editorial Assistant application",
    date="Tue, 03 Nov 2026 10:00:00 +0000",
    body="""Dear Sam,

Thank you for your application for the Editorial Assistant position.

We received a large number of highly qualified applications, and regret to inform you that you were not selected for an interview.

We wish you success in your job search.

Lucerne Publishing
""",
    expect=R("Lucerne Publishing", "Editorial Assistant", received="2026-11-03T10:00:00+00:00"),
)

case(
    "19_two_liner_brightpath",
    frm="Tom Nakamura <tom@brightpath.io>",
    subject="Thanks, Sam",
    date="Wed, 04 Nov 2026 21:15:00 +0000",
    body="""Hi Sam — thanks so much for your time this week. Unfortunately we've decided to go with another candidate for the role. Wishing you the best in your search.

Tom
""",
    expect=R("Brightpath", "", "Tom Nakamura", "tom@brightpath.io", "2026-11-04T21:15:00+00:00"),
)

case(
    "20_paste_no_headers_coho",
    fmt="paste",
    body="""Dear Sam,

Thank you for your application for the Sommelier Trainee position at Coho Vineyard.

After reviewing all applications, we have decided not to proceed with your application.

Best regards,
Ben Miller
Coho Vineyard
""",
    expect=R("Coho Vineyard", "Sommelier Trainee", "Ben Miller", received=None),
)

case(
    "21_paste_with_headers_proseware",
    fmt="paste-headers",
    frm="Proseware Hiring <noreply@workablemail.com>",
    subject="Proseware - QA Engineer",
    date="Thu, 05 Nov 2026 07:45:00 +0000",
    body="""Hi Sam,

Thanks for your interest in Proseware and the QA Engineer position.

After careful review, we have decided to move forward with other candidates at this time.

All the best,
Proseware Hiring Team
""",
    expect=R("Proseware", "QA Engineer", received="2026-11-05T07:45:00+00:00"),
)

case(
    "22_outlook_html_alpine",
    frm="Alpine Ski House HR <hr@alpineskihouse.example>",
    subject="Your application: Operations Coordinator",
    date="Fri, 06 Nov 2026 14:00:00 +0100",
    fmt="html-mso",
    body="""Dear Sam,

Thank you for applying for the Operations Coordinator position at Alpine Ski House.

Unfortunately, we are unable to offer you the position. The role requires more experience with seasonal staff scheduling than your background shows.

We wish you all the best for your future career.

Yours sincerely,
Heidi Gruber
Alpine Ski House
""",
    expect=R(
        "Alpine Ski House",
        "Operations Coordinator",
        "Heidi Gruber",
        received="2026-11-06T13:00:00+00:00",
        reason="requires more experience",
    ),
)

case(
    "23_alternative_margie",
    frm="Margie's Travel Careers <careers@margiestravel.example>",
    subject="Your application to Margie's Travel",
    date="Sat, 07 Nov 2026 11:11:11 +0000",
    fmt="alt",
    body="""Hi Sam,

Thanks for applying for the Travel Consultant role at Margie's Travel.

We've reviewed your application and won't be moving forward with your application this time.

We'll keep your CV on file in case something else comes up.

Margie's Travel Careers
""",
    expect=R(
        "Margie's Travel", "Travel Consultant", received="2026-11-07T11:11:11+00:00", open_door=True
    ),
)

case(
    "24_recruitee_trey",
    frm="Trey Research <no-reply@recruitee.com>",
    subject="Machine Learning Engineer at Trey Research",
    date="Sun, 08 Nov 2026 09:30:00 +0100",
    body="""Dear Sam,

Thank you for your interest in the Machine Learning Engineer position at Trey Research.

We have carefully reviewed your application and unfortunately you have not been selected to move to the next stage.

We wish you success in your future endeavours.

Kind regards,
Trey Research
""",
    expect=R("Trey Research", "Machine Learning Engineer", received="2026-11-08T08:30:00+00:00"),
)

case(
    "25_personio_html_de",
    frm="Kleinholz Design GmbH <noreply@personio.de>",
    subject="Rückmeldung zu Ihrer Bewerbung",
    date="Mon, 09 Nov 2026 16:00:00 +0100",
    fmt="html",
    body="""Hallo Sam Rivera,

vielen Dank für Ihr Interesse an einer Tätigkeit bei Kleinholz Design GmbH und Ihre Bewerbung als UI Designer.

Leider können wir Ihnen keine positive Rückmeldung geben. Wir haben uns für andere Bewerber entschieden, deren Profil noch besser zu unseren Anforderungen passt.

Wir wünschen Ihnen für Ihre Zukunft alles Gute.

Beste Grüße
Kleinholz Design GmbH
""",
    expect=R("Kleinholz Design GmbH", "UI Designer", received="2026-11-09T15:00:00+00:00"),
)

case(
    "26_softgarden_de",
    frm="Stadtwerke Nordhafen <noreply@softgarden.io>",
    subject="Ihre Bewerbung bei Stadtwerke Nordhafen",
    date="Tue, 10 Nov 2026 07:00:00 +0100",
    body="""Sehr geehrter Herr Rivera,

vielen Dank für Ihre Bewerbung für die Position als IT-Systemadministrator.

Wir müssen Ihnen leider absagen. Die Stelle wurde bereits anderweitig besetzt.

Wir bewahren Ihre Unterlagen gerne in unserem Bewerberpool auf.

Mit freundlichen Grüßen
Ihr Team der Stadtwerke Nordhafen
""",
    expect=R(
        "Stadtwerke Nordhafen",
        "IT-Systemadministrator",
        received="2026-11-10T06:00:00+00:00",
        open_door=True,
    ),
)

case(
    "27_agency_recruiter_globex",
    frm="Rachel Kim <rachel.kim@talentbridge-recruitment.co.uk>",
    subject="Platform Engineer - update",
    date="Wed, 11 Nov 2026 12:00:00 +0000",
    body="""Hi Sam,

I heard back from Globex today about your application for the Platform Engineer role. Unfortunately they've decided not to progress your application, because they want someone with more Terraform experience.

I'll keep an eye out for other roles that suit you and keep in touch.

Thanks,
Rachel Kim
""",
    expect=R(
        "Globex",
        "Platform Engineer",
        "Rachel Kim",
        "rachel.kim@talentbridge-recruitment.co.uk",
        "2026-11-11T12:00:00+00:00",
        reason="more Terraform experience",
        open_door=True,
    ),
)

case(
    "28_not_proceeding_candidacy",
    frm="Humongous Insurance Talent Team <talent@humongousinsurance.example>",
    subject="Actuarial Analyst candidacy",
    date="Thu, 12 Nov 2026 08:30:00 -0500",
    body="""Dear Sam,

Thank you for your interest in the Actuarial Analyst role at Humongous Insurance.

After careful consideration, we will not be proceeding with your candidacy.

We appreciate the time you took and wish you luck in your job search.

Humongous Insurance Talent Team
""",
    expect=R("Humongous Insurance", "Actuarial Analyst", received="2026-11-12T13:30:00+00:00"),
)

case(
    "29_no_offer_final",
    frm="Wingtip Toys <recruiting@wingtiptoys.example>",
    subject="Your interviews for Product Manager",
    date="Fri, 13 Nov 2026 17:45:00 +0000",
    body="""Hi Sam,

Thank you for interviewing for the Product Manager position at Wingtip Toys.

We've decided not to extend an offer. Feedback from the panel was that your product discovery examples were strong, but the roadmap exercise lacked prioritisation.

We wish you the best.

Sofia Alvarez
Wingtip Toys
""",
    expect=R(
        "Wingtip Toys",
        "Product Manager",
        "Sofia Alvarez",
        received="2026-11-13T17:45:00+00:00",
        reason="Feedback from the panel",
    ),
)

case(
    "30_filled_internally",
    frm="Relecloud People Team <people@relecloud.example>",
    subject="Relecloud: Solutions Engineer",
    date="Sat, 14 Nov 2026 10:00:00 +0000",
    body="""Hello Sam,

Thanks for your interest in the Solutions Engineer role at Relecloud.

We wanted to let you know that we have decided to fill the position internally.

We encourage you to apply for other roles at Relecloud in the future.

Relecloud People Team
""",
    expect=R(
        "Relecloud", "Solutions Engineer", received="2026-11-14T10:00:00+00:00", open_door=True
    ),
)

case(
    "31_weak_only_vanarsdel",
    frm="VanArsdel Recruiting <recruiting@vanarsdel.example>",
    subject="Your application for Sales Engineer",
    date="Sun, 15 Nov 2026 13:00:00 +0000",
    body="""Dear Sam,

Thank you for applying for the Sales Engineer role at VanArsdel.

Unfortunately, after careful consideration, your application has not progressed this time. We had a large number of highly qualified applicants.

We wish you all the best in your job search.

VanArsdel Recruiting
""",
    expect=R("VanArsdel", "Sales Engineer", received="2026-11-15T13:00:00+00:00"),
)

case(
    "32_jobvite_bluey",
    frm="Blue Yonder Airlines <notification@jobvite.com>",
    subject="Blue Yonder Airlines: Flight Operations Analyst",
    date="Mon, 16 Nov 2026 06:00:00 -0700",
    body="""Dear Sam,

Thank you for applying to Blue Yonder Airlines. We have carefully considered your application for the Flight Operations Analyst position.

At this time, we have decided to move forward with other applicants who more closely match the requirements for this role.

Blue Yonder Airlines Talent Acquisition
""",
    expect=R(
        "Blue Yonder Airlines", "Flight Operations Analyst", received="2026-11-16T13:00:00+00:00"
    ),
)

case(
    "33_bamboohr_nod",
    frm="Nod Publishers Hiring <no-reply@bamboohr.com>",
    subject="Your application for Copywriter",
    date="Tue, 17 Nov 2026 09:00:00 +0000",
    body="""Hi Sam,

We appreciate your interest in Nod Publishers and the time you've invested in applying for the Copywriter opening.

We've decided to move forward with a different candidate for this position.

Regards,
Nod Publishers Hiring Team
""",
    expect=R("Nod Publishers", "Copywriter", received="2026-11-17T09:00:00+00:00"),
)

case(
    "34_top_posted_reply",
    frm="Grace Liu <grace.liu@southridgevideo.example>",
    subject="Re: Video Editor portfolio",
    date="Wed, 18 Nov 2026 18:20:00 -0800",
    body="""Hi Sam,

Thanks for sending your portfolio over for the Video Editor role. I shared it with the team and, unfortunately, we have decided to pursue other candidates who have more experience with documentary projects.

Keep in touch!
Grace

-----Original Message-----
From: Sam Rivera <sam.rivera@example.net>
Sent: Monday, November 16, 2026 10:00 AM
Subject: Video Editor portfolio

Hi Grace, here is my portfolio. I'd love to schedule an interview.
""",
    expect=R(
        "Southridgevideo",
        "Video Editor",
        "Grace Liu",
        "grace.liu@southridgevideo.example",
        "2026-11-19T02:20:00+00:00",
        reason="more experience with documentary projects",
        open_door=True,
    ),
)

case(
    "35_payments_reason",
    frm="Ravi Shah <ravi.shah@contoso-pay.example>",
    subject="Backend Engineer (Payments)",
    date="Thu, 19 Nov 2026 15:00:00 +0000",
    body="""Hi Sam,

Thanks for taking the time to interview with Contoso Pay for the Backend Engineer role.

We've decided to move forward with another candidate whose background includes deeper payments domain experience, because that is what the team needs most right now.

Best of luck,
Ravi Shah
Engineering Manager, Contoso Pay
""",
    expect=R(
        "Contoso Pay",
        "Backend Engineer",
        "Ravi Shah",
        "ravi.shah@contoso-pay.example",
        "2026-11-19T15:00:00+00:00",
        reason="deeper payments domain experience",
    ),
)

case(
    "36_de_kein_angebot",
    frm="Karl Weber <k.weber@nordlicht-it.de>",
    subject="Ihre Bewerbung als DevOps Engineer",
    date="Fri, 20 Nov 2026 11:00:00 +0100",
    body="""Guten Tag Herr Rivera,

danke für Ihre Zeit im Gespräch für die Stelle als DevOps Engineer bei der Nordlicht IT GmbH.

Nach eingehender Prüfung können wir Ihnen leider kein Angebot machen.

Bleiben wir gerne in Kontakt.

Beste Grüße
Karl Weber
""",
    expect=R(
        "Nordlicht IT GmbH",
        "DevOps Engineer",
        "Karl Weber",
        "k.weber@nordlicht-it.de",
        "2026-11-20T10:00:00+00:00",
        open_door=True,
    ),
)

case(
    "37_workday_html_fabrikam_retail",
    frm="Fabrikam Retail <fabrikamretail@myworkday.com>",
    subject="Thank you for your interest in Fabrikam Retail",
    date="Sat, 21 Nov 2026 03:00:00 +0000",
    fmt="html",
    body="""Dear Sam,

Thank you for your interest in the Store Operations Lead position. We appreciate the time you invested in applying.

After careful review of your application, we regret to inform you that we will not be moving forward with your candidacy for this position.

We invite you to keep your profile up to date and encourage you to apply for future openings at Fabrikam Retail.

Sincerely,
Fabrikam Retail Talent Acquisition
""",
    expect=R(
        "Fabrikam Retail",
        "Store Operations Lead",
        received="2026-11-21T03:00:00+00:00",
        open_door=True,
    ),
)

case(
    "38_greenhouse_html_qp",
    frm="Lamna Healthcare <no-reply@greenhouse.io>",
    subject="Lamna Healthcare - Clinical Data Scientist",
    date="Sun, 22 Nov 2026 14:00:00 -0500",
    fmt="html-qp",
    body="""Hi Sam,

Thank you for your interest in Lamna Healthcare! We truly appreciate the time and effort you put into applying for the Clinical Data Scientist role.

After reviewing your experience, we've decided to move forward with other candidates at this time.

We'll keep your information on file and may reach out about future roles.

Best,
The Lamna Healthcare Talent Team
""",
    expect=R(
        "Lamna Healthcare",
        "Clinical Data Scientist",
        received="2026-11-22T19:00:00+00:00",
        open_door=True,
    ),
)

case(
    "39_different_direction",
    frm="Alex Romero <alex@tailwind.example>",
    subject="Head of Growth conversations",
    date="Mon, 23 Nov 2026 10:10:00 -0800",
    body="""Hi Sam,

I appreciate you taking the time to speak with us about the Head of Growth role at Tailwind.

We've decided to go in a different direction for this position. I enjoyed our conversations and hope you find a great fit soon.

Alex Romero
Tailwind
""",
    expect=R(
        "Tailwind",
        "Head of Growth",
        "Alex Romero",
        "alex@tailwind.example",
        "2026-11-23T18:10:00+00:00",
    ),
)

case(
    "40_not_invited",
    frm="Datum Corporation Careers <careers@datum.example>",
    subject="Your application for IT Support Specialist",
    date="Tue, 24 Nov 2026 09:00:00 +0000",
    body="""Dear Sam,

Thank you for applying for the IT Support Specialist role at Datum Corporation.

After careful consideration we regret that we will not be inviting you to interview for this role.

We wish you the best of luck with your job search.

Datum Corporation Careers
""",
    expect=R("Datum Corporation", "IT Support Specialist", received="2026-11-24T09:00:00+00:00"),
)

case(
    "41_de_andere_bewerber_html",
    frm="Hanse Maschinenbau AG <bewerbung@hanse-maschinenbau.de>",
    subject="Ihre Bewerbung als Konstrukteur",
    date="Wed, 25 Nov 2026 13:30:00 +0100",
    fmt="alt",
    body="""Sehr geehrter Herr Rivera,

vielen Dank für Ihr Interesse an der Hanse Maschinenbau AG.

Leider müssen wir Ihnen mitteilen, dass wir Ihre Bewerbung nicht berücksichtigen konnten. Die Stelle ist inzwischen besetzt.

Mit freundlichen Grüßen
Petra Hoffmann
Personalabteilung
""",
    expect=R(
        "Hanse Maschinenbau AG",
        "Konstrukteur",
        "Petra Hoffmann",
        received="2026-11-25T12:30:00+00:00",
        open_door=True,
    ),
)

# ------------------------------------------------------------------ not rejections
case(
    "n01_interview_invite_greenhouse",
    frm="Fabrikam Recruiting <no-reply@greenhouse.io>",
    subject="Interview invitation: Senior Backend Engineer",
    date="Mon, 02 Nov 2026 10:00:00 +0100",
    body="""Hi Sam,

Thank you for applying to Fabrikam! We'd like to invite you to a 45-minute technical interview for the Senior Backend Engineer position.

Please use the link below to pick a time slot that works for you.

Best,
The Fabrikam Recruiting Team
""",
    expect=N(),
)

case(
    "n02_einladung_de",
    frm="Julia Becker <j.becker@blauwal-software.de>",
    subject="Einladung zum Vorstellungsgespräch",
    date="Mon, 02 Nov 2026 11:00:00 +0100",
    body="""Hallo Herr Rivera,

vielen Dank für Ihre Bewerbung als Backend-Entwickler. Wir möchten Sie gerne zu einem Vorstellungsgespräch einladen.

Passt Ihnen Donnerstag um 14 Uhr?

Viele Grüße
Julia Becker
""",
    expect=N(),
)

case(
    "n03_confirmation_lever",
    frm="Northwind Traders <no-reply@hire.lever.co>",
    subject="Thanks for applying to Northwind Traders",
    date="Tue, 03 Nov 2026 08:00:00 +0000",
    body="""Hi Sam,

Thanks for applying to Northwind Traders! We have received your application for the Data Analyst role and our team will review it and get back to you soon.

Unfortunately, due to the volume of applications, we can't always respond to every applicant individually.

Northwind Traders
""",
    expect=N(),
)

case(
    "n04_eingang_de",
    frm="Mustermann Logistik GmbH <noreply@personio.de>",
    subject="Eingangsbestätigung Ihrer Bewerbung",
    date="Tue, 03 Nov 2026 09:00:00 +0100",
    body="""Sehr geehrter Herr Rivera,

vielen Dank für Ihre Bewerbung. Hiermit bestätigen wir den Eingang Ihrer Bewerbung als Softwareentwickler (m/w/d).

Wir melden uns in den nächsten zwei Wochen bei Ihnen.

Mit freundlichen Grüßen
Anna Schmidt
""",
    expect=N(),
)

case(
    "n05_offer",
    frm="Olivia Chen <olivia@fourthcoffee.example>",
    subject="Offer: Engineering Manager",
    date="Wed, 04 Nov 2026 16:00:00 +0100",
    body="""Dear Sam,

I am delighted to offer you the position of Engineering Manager at Fourth Coffee! Your offer letter is attached.

Please let me know if you have any questions.

Olivia
""",
    expect=N(),
)

case(
    "n06_reschedule_timeslot",
    frm="Priya Natarajan <priya@northwindtraders.example>",
    subject="Re: Interview on Friday",
    date="Wed, 04 Nov 2026 17:00:00 +0000",
    body="""Hi Sam,

Unfortunately we are unable to offer a time slot on Friday after all, as the hiring manager is travelling. We regret the late notice.

Could you reschedule the interview to Monday or Tuesday next week?

Thanks,
Priya
""",
    expect=N(),
)

case(
    "n07_newsletter",
    frm="JobRadar Weekly <news@jobradar.example>",
    subject="10 remote backend jobs this week",
    date="Thu, 05 Nov 2026 06:00:00 +0000",
    body="""Hi Sam,

Here are this week's top remote backend roles, picked for you. Many companies regret missing great candidates, so apply early!

1. Backend Engineer at Acme
2. Platform Engineer at Globex

Good luck with your search!

You receive this email because you signed up for JobRadar. Unsubscribe here.
""",
    expect=N(),
)

case(
    "n08_own_reply",
    frm=SAM,
    to="Dana Whitfield <dana.whitfield@fabrikam.com>",
    subject="Re: Staff Engineer interview",
    date="Sat, 21 Nov 2026 10:00:00 +0100",
    body="""Hi Dana,

Thank you for letting me know. I'm disappointed, but I understand you decided to move forward with other candidates. I'd love to hear any feedback you can share.

Best,
Sam
""",
    expect=N(),
)

case(
    "n09_own_reply_pasted",
    fmt="paste",
    body="""Hi Dana,

Thank you for letting me know, and for the kind words about the interview.

I'd appreciate any feedback that could help me grow.

Best, Sam

On Fri, 20 Nov 2026 at 17:02, Dana Whitfield wrote:
> I'm sorry to say we've decided not to move forward with your candidacy.
""",
    expect=N(),
)

case(
    "n10_own_forward",
    frm=SAM,
    to="Sam Rivera <sam.rivera@example.net>",
    subject="Fwd: Your application to Fabrikam",
    date="Tue, 10 Nov 2026 15:00:00 +0100",
    body="""For my records.

---------- Forwarded message ---------
From: Fabrikam Recruiting <no-reply@greenhouse.io>
Subject: Your application to Fabrikam

After careful consideration, we have decided to move forward with other candidates.
""",
    expect=N(),
)

case(
    "n11_recruiter_outreach",
    frm="Rachel Kim <rachel.kim@talentbridge-recruitment.co.uk>",
    subject="Platform role in Berlin",
    date="Thu, 05 Nov 2026 12:00:00 +0000",
    body="""Hi Sam,

I came across your profile and think you'd be a great match for a Platform Engineer role at one of my clients. Would you like to set up a call this week?

Thanks,
Rachel
""",
    expect=N(),
)

case(
    "n12_next_round",
    frm="Maria Gonzalez <maria.gonzalez@tailspintoys.com>",
    subject="Product Designer - next steps",
    date="Fri, 06 Nov 2026 09:00:00 -0800",
    body="""Hi Sam,

Great news! The team enjoyed your portfolio review and we'd like to move forward with your application to the next round: a design exercise with two of our designers.

Maria
""",
    expect=N(),
)

case(
    "n13_take_home",
    frm="Contoso Pay Engineering <eng-hiring@contoso-pay.example>",
    subject="Your take-home exercise",
    date="Fri, 06 Nov 2026 10:00:00 +0000",
    body="""Hi Sam,

As discussed, please find the take-home exercise for the Backend Engineer role attached. Please submit it by Friday; it should take about three hours.

Ravi
""",
    expect=N(),
)

case(
    "n14_interview_confirmed",
    frm="Wingtip Toys <recruiting@wingtiptoys.example>",
    subject="Interview confirmed: Product Manager",
    date="Sat, 07 Nov 2026 08:00:00 +0000",
    body="""Hi Sam,

Your interview for the Product Manager position is confirmed for Tuesday, 10 November at 14:00 CET. You'll meet Sofia and two product managers. Here is the calendar link for the video call.

Wingtip Toys Recruiting
""",
    expect=N(),
)

case(
    "n15_offer_de",
    frm="Karl Weber <k.weber@nordlicht-it.de>",
    subject="Ihr Vertragsangebot",
    date="Sun, 08 Nov 2026 10:00:00 +0100",
    body="""Guten Tag Herr Rivera,

wir freuen uns, Ihnen die Stelle als DevOps Engineer anbieten zu können! Den Vertrag finden Sie im Anhang.

Beste Grüße
Karl Weber
""",
    expect=N(),
)

case(
    "n16_job_alert",
    frm="Jobs Alert <alerts@jobboard.example>",
    subject="New jobs matching 'Backend Engineer'",
    date="Mon, 09 Nov 2026 07:00:00 +0000",
    fmt="html",
    body="""New jobs for you, Sam

Backend Engineer at Litware Inc. Apply now.

Senior Backend Engineer at Relecloud. Apply now.

Don't want these emails? Unsubscribe.
""",
    expect=N(),
)

case(
    "n17_references",
    frm="Sofia Alvarez <sofia@wingtiptoys.example>",
    subject="References",
    date="Tue, 10 Nov 2026 12:00:00 +0000",
    body="""Hi Sam,

We're at the final stage of our process for the Product Manager role and would like to contact two of your references. Could you send me their names and emails?

Sofia
""",
    expect=N(),
)

case(
    "n18_still_reviewing",
    frm="Lucerne Publishing <jobs@lucernepublishing.example>",
    subject="Update on your application",
    date="Wed, 11 Nov 2026 10:00:00 +0000",
    body="""Dear Sam,

Thank you for your patience. Your application for the Editorial Assistant position is still under review. Unfortunately the process is taking longer than we hoped; we expect to be in touch by the end of the month.

Lucerne Publishing
""",
    expect=N(),
)

case(
    "n19_final_round_invite",
    frm="Alex Romero <alex@tailwind.example>",
    subject="Final round",
    date="Thu, 12 Nov 2026 09:00:00 -0800",
    body="""Hi Sam,

The team enjoyed meeting you, and we'd like to invite you to the final round with our CEO. Please share your availability for next week.

Alex
""",
    expect=N(),
)

case(
    "n20_regret_move_interview",
    frm="Heidi Gruber <hr@alpineskihouse.example>",
    subject="Change of plan for your interview",
    date="Fri, 13 Nov 2026 08:00:00 +0100",
    body="""Dear Sam,

We regret the inconvenience: our interviewer is ill. Unfortunately we need to move your interview to next week. Please pick a new time in the booking link.

Heidi Gruber
Alpine Ski House
""",
    expect=N(),
)

case(
    "n21_workday_confirmation",
    frm="Contoso Careers <contoso@myworkday.com>",
    subject="Thank you for applying to Contoso",
    date="Sat, 14 Nov 2026 18:00:00 +0000",
    fmt="html",
    body="""Dear Sam Rivera,

Thank you for applying for the Cloud Solutions Architect position at Contoso. We have received your application and will review it carefully. If your qualifications match our needs, a recruiter will contact you.

Contoso Talent Acquisition
""",
    expect=N(),
)

case(
    "n22_account_created",
    frm="Litware Inc. <noreply@smartrecruiters.com>",
    subject="Your candidate account",
    date="Sun, 15 Nov 2026 08:00:00 +0000",
    body="""Hi Sam,

Your candidate profile with Litware Inc. has been created. You can sign in at any time to check the status of your applications.

Litware Inc.
""",
    expect=N(),
)

case(
    "n23_coffee_stay_in_touch",
    frm="Grace Liu <grace.liu@southridgevideo.example>",
    subject="Coffee next week?",
    date="Mon, 16 Nov 2026 09:00:00 -0800",
    body="""Hi Sam,

It was great meeting you at the meetup. Let's stay in touch; would you like to grab a coffee next week and chat about the video team?

Grace
""",
    expect=N(),
)

case(
    "n24_terminvorschlag_de",
    frm="Petra Hoffmann <bewerbung@hanse-maschinenbau.de>",
    subject="Terminvorschlag für das Gespräch",
    date="Tue, 17 Nov 2026 10:00:00 +0100",
    body="""Sehr geehrter Herr Rivera,

leider müssen wir den Termin am Mittwoch verschieben. Wir würden Sie gerne stattdessen am Freitag um 10 Uhr einladen. Bitte bestätigen Sie den Terminvorschlag.

Mit freundlichen Grüßen
Petra Hoffmann
""",
    expect=N(),
)


# ------------------------------------------------------------------ writing
def build(c):
    charset = c["charset"]
    fmt = c["fmt"]
    body = c["body"]
    if fmt == "paste":
        return body.encode("utf-8")
    if fmt in ("plain", "paste-headers"):
        msg = MIMEText(body, "plain", charset)
        cs = Charset(charset)
        cs.body_encoding = None
        msg = MIMEText(body, "plain", "utf-8")
        msg.replace_header("Content-Transfer-Encoding", "8bit")
        msg.set_payload(body.encode("utf-8"))
    elif fmt == "8bit":
        msg = MIMEText("", "plain", charset)
        msg.replace_header("Content-Transfer-Encoding", "8bit")
        msg.set_payload(body.encode(charset))
    elif fmt == "qp":
        cs = Charset(charset)
        cs.body_encoding = QP
        msg = MIMEText(body, "plain", cs)
    elif fmt == "b64":
        cs = Charset(charset)
        cs.body_encoding = BASE64
        msg = MIMEText(body, "plain", cs)
    elif fmt in ("html", "html-qp", "html-mso"):
        markup = html_of(body)
        if fmt == "html-mso":
            markup = markup.replace(
                "<p>", '<p class="MsoNormal"><span style="font-family:Calibri">'
            ).replace("</p>", "</span><o:p></o:p></p>")
            markup = markup.replace(
                "<head>",
                "<head><!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]-->",
            )
        cs = Charset("utf-8")
        cs.body_encoding = QP if fmt == "html-qp" else BASE64
        msg = MIMEText(markup, "html", cs)
    elif fmt == "alt":
        msg = MIMEMultipart("alternative")
        msg.attach(MIMEText(body, "plain", "utf-8"))
        msg.attach(MIMEText(html_of(body), "html", "utf-8"))
    else:
        raise ValueError(fmt)
    from email.header import Header
    from email.utils import formataddr, parseaddr

    def addr(value):
        name, address = parseaddr(value)
        return formataddr(
            (str(Header(name, "utf-8")) if any(ord(ch) > 127 for ch in name) else name, address)
        )

    msg["From"] = addr(c["frm"])
    msg["To"] = addr(c["to"])
    if c["reply_to"]:
        msg["Reply-To"] = addr(c["reply_to"])
    msg["Subject"] = (
        Header(c["subject"], "utf-8") if any(ord(ch) > 127 for ch in c["subject"]) else c["subject"]
    )
    if c["date"]:
        msg["Date"] = c["date"]
    if c["msgid"]:
        msg["Message-ID"] = f"<{c['name']}@mail.example>"
    # Headers first, as a mail program saves them.
    items = msg._headers
    order = ["From", "To", "Reply-To", "Subject", "Date", "Message-ID"]
    msg._headers = sorted(items, key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    raw = msg.as_bytes()
    if fmt == "paste-headers":
        # What a person copies from "Show original": a few headers and the text.
        head = f"From: {c['frm']}\nSubject: {c['subject']}\nDate: {c['date']}\nTo: {c['to']}\n\n"
        return (head + body).encode("utf-8")
    return raw


expected = {}
for c in CASES:
    ext = "txt" if c["fmt"] in ("paste", "paste-headers") else "eml"
    (OUT / f"{c['name']}.{ext}").write_bytes(build(c))
    expected[f"{c['name']}.{ext}"] = c["expect"]
(OUT / "expected.yaml").write_text(
    "# What a careful person reads in each email of this folder (see test_reader_corpus.py).\n"
    + yaml.safe_dump(expected, sort_keys=True, allow_unicode=True)
)
print(
    len(CASES), "cases,", sum(1 for c in CASES if not c["expect"]["is_rejection"]), "not rejections"
)
