"""The routes of the pages. The kiosk's, the TV's and the console's templates and scripts live
in the kiosk/, display/ and counter/ packages; the admin's, the reports' and the home page's
in server/templates and server/static, beside the shared front-end."""
