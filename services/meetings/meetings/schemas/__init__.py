"""What the JSON API accepts (`…Create`, `…Update`) and returns (`…Public`), one module per part
of the job. The pages check their forms with the same models. `…Public` models are built from the
records the use cases return (`meetings.records`)."""
