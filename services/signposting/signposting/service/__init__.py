"""The signposting service's use cases, one module per part of the job. Each change runs in the
kit's unit of work (the change, its audit entry and its events in one transaction), and the JSON
API and the pages call the same use cases.

    organizations     organisations: add, change, read, and the one organisation search
    locations         places where services meet people
    services          services with their needs, areas, times, places and contacts
    needs             taxonomies and their terms (the needs people search by)
    community_groups  organisations that host pop-up forums; the forum's visits to them
    group_listings    each community group's listing: the service saying what it offers
    listings          checking listings with their providers; stale listings; the history
    finding           searching the directory: services, or services at their places (it only reads)
    signposting       anonymous signposting records
    unmet_need        staff record that a search for someone found nothing
    reports           the report of signposting and unmet need
    transfer          importing and exporting the whole directory
    editor, writing   who is changing the directory; what every change of a listing shares
"""
