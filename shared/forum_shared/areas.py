"""The county the forum covers: Cambridgeshire's five districts and Peterborough."""

DISTRICTS = (
    "Cambridge",
    "East Cambridgeshire",
    "Fenland",
    "Huntingdonshire",
    "Peterborough",
    "South Cambridgeshire",
)
