"""SMS backends chosen by settings.SMS_BACKEND: console and locmem for the demo and tests,
Twilio's REST API for production."""
