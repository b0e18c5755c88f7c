package http

// certAdminRoutes are the certificate register and its exports.
func (s *Server) certAdminRoutes() []route { return nil }

// certAdminMessages are their UI strings.
var certAdminMessages = map[string][2]string{}
