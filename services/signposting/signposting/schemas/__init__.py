"""What the service's API accepts and returns.

    fields            field types the models share
    hsds, services    HSDS objects as staff send them and feeds carry them (their HSDS field names)
    public            the Open Referral UK answers: HSDS objects, the page envelope, the API's version
    community_groups  community groups that host pop-up forums
    signposting       anonymous signposting records and the report of need they reveal
    directory         listings checked with providers, and the history of changes
    transfer          what an import brought in, or why it was refused
"""
