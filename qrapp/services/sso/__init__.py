"""Single sign-on per workspace: connections and their e-mail domains (`connections`,
`domains`), who a sign-in admits (`admission`) and the protocols (`oidc`; SAML and LDAP
from the saml-ldap lane) built on them."""
