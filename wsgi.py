from fsr_coach import create_app

app = create_app()
