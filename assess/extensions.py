"""The web extensions, created unbound so that create_app can bind them to each app.

The database handle lives in assess/db.py: the read and write sides need it without these.
"""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# The key is the client address as seen after ProxyFix, which trusts only the configured
# number of proxies: a spoofed X-Forwarded-For cannot give an attacker a fresh bucket.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
