window.cjmsiteSearchShards=["search/journeys-000.js","search/others.js"];
