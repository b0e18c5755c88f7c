package http

// examAdminRoutes are the trainers' exam pages: definitions, reviews, statistics.
func (s *Server) examAdminRoutes() []route { return nil }

// examAdminMessages are their UI strings.
var examAdminMessages = map[string][2]string{}
